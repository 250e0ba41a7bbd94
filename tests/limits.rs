//! Limits written once: the command line, the dashboard's edits and the planner hold a
//! network to the same ranges (`nn::plan`).

use clap::Parser;
use cnn_tui::cli::Cli;
use cnn_tui::config::{Arch, Hyper, Schedule};
use cnn_tui::nn::plan::{
    BATCH_RANGE, BLOCKS_RANGE, FILTERS_RANGE, KERNEL_RANGE, POOL_RANGE, STRIDE_RANGE, max_padding,
    same_padding, span,
};
use cnn_tui::ui::edit::adjust_hyper;
use cnn_tui::ui::keys::Field;

/// The hyperparameters `cnn-tui --batch b` starts the dashboard with, if it accepts `b`.
fn dashboard_hyper(batch: usize) -> Option<Hyper> {
    let cli = Cli::try_parse_from(["cnn-tui", "--batch", &batch.to_string()]).ok()?;
    cli.model.hyper(1, Schedule::Constant).ok()
}

#[test]
fn the_dashboards_batch_edits_keep_to_what_the_command_line_accepts() {
    // Once `--batch 1024` became 512 after one `B`: the dashboard had a range of its own.
    for batch in [1, 2, 3, 512, 1024, 3000, 4096] {
        let h = dashboard_hyper(batch).unwrap_or_else(|| panic!("--batch {batch} refused"));
        if let Ok((up, _)) = adjust_hyper(&h, Field::Batch, true) {
            assert!(up.batch > batch, "B from {batch} gave {}", up.batch);
            assert!(dashboard_hyper(up.batch).is_some(), "B gave {}", up.batch);
        }
        if let Ok((down, _)) = adjust_hyper(&h, Field::Batch, false) {
            assert!(down.batch < batch, "b from {batch} gave {}", down.batch);
            assert!(
                dashboard_hyper(down.batch).is_some(),
                "b gave {}",
                down.batch
            );
        }
    }
    // Pressing `B` from 1 climbs to exactly the largest batch the command line accepts.
    let mut h = dashboard_hyper(1).unwrap();
    while let Ok((up, _)) = adjust_hyper(&h, Field::Batch, true) {
        h = up;
    }
    assert!(dashboard_hyper(h.batch + 1).is_none(), "top {}", h.batch);
    assert!(dashboard_hyper(0).is_none());
}

#[test]
fn the_help_states_the_planners_ranges() {
    use clap::CommandFactory;
    let help = Cli::command().render_help().to_string();
    for range in [
        KERNEL_RANGE,
        STRIDE_RANGE,
        POOL_RANGE,
        BATCH_RANGE,
        BLOCKS_RANGE,
    ] {
        let stated = format!("({})", span(&range));
        assert!(help.contains(&stated), "{stated} missing in {help}");
    }
}

/// The architecture `cnn-tui --preset tiny ARGS` trains, if the command line accepts it.
fn tiny_arch(args: &[String]) -> Option<Arch> {
    let argv = ["cnn-tui", "--preset", "tiny"].map(String::from);
    let cli = Cli::try_parse_from(argv.iter().chain(args)).ok()?;
    cli.model.arch().ok()
}

#[test]
fn the_command_line_accepts_exactly_the_planners_ranges() {
    let with = |flag: &str, v: usize| tiny_arch(&[flag.to_string(), v.to_string()]);
    for (flag, range) in [
        ("--kernel", KERNEL_RANGE),
        ("--stride", STRIDE_RANGE),
        ("--pool-size", POOL_RANGE),
        ("--filters", FILTERS_RANGE),
    ] {
        let (lo, hi) = (*range.start(), *range.end());
        assert!(
            with(flag, lo).is_some() && with(flag, hi).is_some(),
            "{flag} {range:?}"
        );
        assert!(with(flag, lo - 1).is_none(), "{flag} {}", lo - 1);
        assert!(with(flag, hi + 1).is_none(), "{flag} {}", hi + 1);
    }
    let filters = |blocks: usize| tiny_arch(&["--filters".into(), vec!["4"; blocks].join(",")]);
    let most = *BLOCKS_RANGE.end();
    assert_eq!(filters(most).map(|a| a.blocks.len()), Some(most));
    assert!(filters(most + 1).is_none());
    // A kernel alone brings its same padding; the largest padding is accepted, one more is not.
    let k = *KERNEL_RANGE.end();
    let arch = with("--kernel", k).unwrap();
    assert_eq!(arch.blocks[0].padding, same_padding(k));
    let padded = |p: usize| {
        tiny_arch(&["--kernel", &k.to_string(), "--padding", &p.to_string()].map(String::from))
    };
    assert!(padded(max_padding(k)).is_some());
    assert!(padded(max_padding(k) + 1).is_none());
}
