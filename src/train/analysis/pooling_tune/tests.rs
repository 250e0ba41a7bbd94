//! The fine-tune on a small case: a network trained briefly with max pooling, switched to
//! average, loses accuracy; a short fine-tune wins some of it back. Also: a cancelled job
//! stops between steps, and the job reports its progress and its first figures.

use super::*;
use crate::data::dataset::Mnist;
use crate::nn::plan::ConvBlock;
use crate::train::analysis::pooling::{self, PoolingAccuracy};
use crate::train::analysis::tests::{cancelled, with_progress};
use crate::train::analysis::{AnalysisUpdate, JobKind, JobOutput};
use crate::train::messages::Update;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The first `n` images of `set`, as a set of their own.
fn head(set: &Dataset, n: usize) -> Dataset {
    let n = n.min(set.len());
    let pixels = (0..n).flat_map(|i| set.image_bytes(i).to_vec()).collect();
    Dataset::new(pixels, set.labels()[..n].to_vec())
}

/// 6,000 training and 600 validation digits of the built-in MNIST.
fn small_mnist() -> Mnist {
    let full = Mnist::builtin(5000).unwrap();
    Mnist {
        name: "small".into(),
        train: head(&full.train, 6000),
        validation: head(&full.validation, 600),
        test: head(&full.test, 10),
    }
}

fn tune(steps: usize, lr: f32) -> FineTune {
    FineTune {
        steps,
        batch: 32,
        lr,
        momentum: 0.9,
        weight_decay: 0.0005,
        seed: 5,
    }
}

/// A network of one 8-filter block with 2×2 max pooling, trained 150 steps.
fn trained_with_max(data: &Mnist) -> Network {
    let blocks = [ConvBlock::new(8, 3, PoolKind::Max)];
    let mut net = Network::new(&blocks, &mut ChaCha8Rng::seed_from_u64(1)).unwrap();
    with_progress(|p| fine_tune(&mut net, &data.train, &tune(150, 0.05), (0, 1), p)).unwrap();
    net
}

#[test]
fn a_short_fine_tune_wins_back_accuracy_the_switch_lost() {
    let data = small_mnist();
    let mut net = trained_with_max(&data);
    let before = net.filters();
    let result = with_progress(|p| pooling::compute(&mut net, &data, &tune(150, 0.02), 7, p));
    let PoolingAccuracy {
        max, avg, tuned, ..
    } = result.unwrap();
    let (max, avg, tuned) = (max.unwrap(), avg.unwrap(), tuned.unwrap());
    let (tuned_max, tuned_avg) = (tuned.max.unwrap(), tuned.avg.unwrap());
    eprintln!("switched: max {max} avg {avg}; tuned: max {tuned_max} avg {tuned_avg}");
    assert!(max > 0.7, "the trained network learned something: {max}");
    assert!(
        avg < max,
        "switching to average costs accuracy: {avg} vs {max}"
    );
    assert!(
        tuned_avg > avg,
        "the fine-tune wins back accuracy: {avg} → {tuned_avg}"
    );
    assert!(
        tuned_avg > max - 0.01,
        "and closes most of the gap: {tuned_avg} vs {max}"
    );
    assert!(
        tuned_max > max - 0.02,
        "more training does not ruin max: {max} → {tuned_max}"
    );
    assert_eq!(net.filters(), before, "the job works on copies");
}

#[test]
fn a_cancelled_job_stops_between_steps() {
    let data = small_mnist();
    let mut net = trained_with_max(&data);
    let t = tune(1000, 0.02);
    let stopped = cancelled(|p| compute(&mut net, (&data.train, &data.validation), &t, (0, 1), p));
    assert_eq!(stopped, Err(Stopped));
    // Cancelled while running: the flag goes up at the first report, the next step stops.
    let cancel = AtomicBool::new(false);
    let reports = Mutex::new(Vec::new());
    let send = |u: Update| {
        reports.lock().unwrap().push(u);
        cancel.store(true, Ordering::Relaxed);
        true
    };
    let progress = Progress {
        send: &send,
        cancel: &cancel,
        kind: JobKind::Pooling,
        step: 3,
        last: std::cell::Cell::new(None),
    };
    let started = Instant::now();
    let result = fine_tune(&mut net, &data.train, &t, (0, t.images()), &progress);
    assert_eq!(result, Err(Stopped));
    assert_eq!(
        reports.lock().unwrap().len(),
        1,
        "one report, then it stopped"
    );
    // A thousand steps would take seconds; one takes milliseconds.
    assert!(started.elapsed().as_secs_f32() < 1.0);
}

#[test]
fn the_job_reports_progress_and_its_first_figures_before_the_fine_tune() {
    let data = small_mnist();
    let mut net = trained_with_max(&data);
    let t = tune(60, 0.02);
    let cancel = AtomicBool::new(false);
    let sent = Mutex::new(Vec::new());
    let send = |u: Update| {
        sent.lock().unwrap().push(u);
        true
    };
    let progress = Progress {
        send: &send,
        cancel: &cancel,
        kind: JobKind::Pooling,
        step: 9,
        last: std::cell::Cell::new(None),
    };
    let result = pooling::compute(&mut net, &data, &t, 9, &progress).unwrap();
    let total = 2 * data.validation.len() + total_units(&t, data.validation.len());
    let sent = sent.into_inner().unwrap();
    let mut last = 0;
    let mut partial = None;
    for u in &sent {
        match u {
            Update::Analysis(AnalysisUpdate::Progress {
                kind,
                done,
                total: t,
                step,
            }) => {
                assert_eq!((*kind, *t, *step), (JobKind::Pooling, total, 9));
                assert!(
                    *done >= last && *done < total,
                    "{done} after {last} of {total}"
                );
                last = *done;
            }
            Update::Analysis(AnalysisUpdate::Done { step, output }) => {
                assert_eq!(*step, 9);
                partial = Some(output.clone());
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(sent.len() >= 2, "progress and the first figures: {sent:?}");
    let Some(JobOutput::Pooling(first)) = partial.as_deref() else {
        panic!("no first figures: {sent:?}");
    };
    assert_eq!(first.tuned, None, "sent before the fine-tune");
    assert_eq!((first.max, first.avg), (result.max, result.avg));
    let tuned = result.tuned.unwrap();
    assert_eq!(tuned.tune, t);
    assert!(tuned.seconds > 0.0);
}

#[test]
fn fine_tune_settings_follow_the_trainer() {
    let hyper = Hyper {
        batch: 64,
        momentum: 0.8,
        ..Hyper::default()
    };
    let t = FineTune::new(&hyper, 0.01);
    assert_eq!(
        (t.steps, t.batch, t.lr, t.momentum),
        (TUNE_STEPS, 64, 0.01, 0.8)
    );
    assert_eq!(t.images(), TUNE_STEPS * 64);
    assert_eq!(total_units(&t, 100), 2 * (TUNE_STEPS * 64 + 100));
}

/// The job's wall time at full size: the default network, 5,000 validation digits, batch 32,
/// on one thread as the analysis thread runs it. Slow (a minute): run it by hand with
/// `cargo test --lib times_the_whole_job -- --ignored --nocapture`.
#[test]
#[ignore]
fn times_the_whole_job_on_the_default_network() {
    let data = Mnist::builtin(5000).unwrap();
    let arch = crate::config::Arch::default();
    let mut net = Network::new(&arch.blocks, &mut ChaCha8Rng::seed_from_u64(42)).unwrap();
    let hyper = Hyper::default();
    // A little training first, so that the fine-tune starts from a network that reads digits.
    let warm = FineTune::new(&hyper, hyper.lr);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    pool.install(|| with_progress(|p| fine_tune(&mut net, &data.train, &warm, (0, 1), p)))
        .unwrap();
    let tune = FineTune::new(&hyper, 0.05);
    let started = Instant::now();
    let result = pool
        .install(|| with_progress(|p| pooling::compute(&mut net, &data, &tune, 300, p)))
        .unwrap();
    let secs = started.elapsed().as_secs_f32();
    let tuned = result.tuned.clone().unwrap();
    eprintln!(
        "whole job {secs:.1} s (fine-tunes and their validations {:.1} s); switched max {:?} \
         avg {:?}; fine-tuned max {:?} avg {:?}",
        tuned.seconds, result.max, result.avg, tuned.max, tuned.avg
    );
    assert!(secs < 600.0, "{secs} s");
}
