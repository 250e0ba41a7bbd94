use super::*;
use proptest::prelude::*;

/// A frame of conv layers of the given `(out, in, k)` shapes, every weight `step`.
fn frame(step: usize, shapes: &[(usize, usize, usize)]) -> Frame {
    Frame {
        step,
        loss: Some(1.0 / (1.0 + step as f64)),
        filters: shapes
            .iter()
            .map(|&(o, i, k)| Array4::from_elem((o, i, k, k), step as f32))
            .collect(),
    }
}

const DEFAULT: &[(usize, usize, usize)] = &[(8, 1, 3), (16, 8, 3)];

fn steps(t: &Timelapse) -> Vec<usize> {
    t.frames().iter().map(|f| f.step).collect()
}

#[test]
fn frames_are_every_ten_steps_the_newest_replaced_until_it_is_ten_on() {
    let mut t = Timelapse::default();
    for step in [0, 4, 8, 12, 16, 20, 23] {
        t.record(frame(step, DEFAULT));
    }
    // 0 fixed; 4 and 8 stood in for the live weights; 12 is ten past 0; 16, 20 stood in…
    assert_eq!(steps(&t), vec![0, 12, 23]);
    // …and 23 is ten past 12, so the next one is pushed after it.
    t.record(frame(24, DEFAULT));
    assert_eq!(steps(&t), vec![0, 12, 23, 24]);
    assert_eq!(t.frames()[3].filters[1][[0, 0, 0, 0]], 24.0);
}

#[test]
fn a_new_shape_starts_again_and_a_rewind_drops_the_future() {
    let mut t = Timelapse::default();
    for step in (0..100).step_by(10) {
        t.record(frame(step, DEFAULT));
    }
    t.record(frame(45, DEFAULT));
    assert_eq!(steps(&t), vec![0, 10, 20, 30, 40, 45]);
    t.record(frame(50, &[(8, 1, 5), (16, 8, 3)]));
    assert_eq!(steps(&t), vec![50]);
    assert_eq!(t.frames()[0].filters[0].dim(), (8, 1, 5, 5));
}

#[test]
fn a_network_too_large_for_two_frames_keeps_none_and_says_why() {
    let mut t = Timelapse::default();
    t.record(frame(0, &[(64, 64, 17)]));
    assert!(t.frames().is_empty());
    assert!(t.too_large().is_some_and(|b| 2 * b > BUDGET_BYTES));
    t.record(frame(1, DEFAULT));
    assert_eq!((steps(&t), t.too_large()), (vec![1], None));
}

#[test]
fn a_long_run_of_the_default_network_is_spread_over_all_of_it() {
    let mut t = Timelapse::default();
    let last = 200_000;
    for step in (0..=last).step_by(7) {
        t.record(frame(step, DEFAULT));
    }
    let s = steps(&t);
    assert_eq!((s[0], *s.last().unwrap()), (0, last - last % 7));
    assert!(
        s.len() > MAX_FRAMES / 2 && s.len() <= MAX_FRAMES,
        "{}",
        s.len()
    );
    // No gap more than twice the mean: the early steps are not thinned more than the late.
    let mean = last as f64 / (s.len() - 1) as f64;
    let widest = s.windows(2).map(|w| w[1] - w[0]).max().unwrap();
    assert!(
        (widest as f64) <= 2.0 * mean,
        "widest {widest}, mean {mean}"
    );
    assert!(s.iter().filter(|&&x| x < last / 10).count() >= s.len() / 20);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any number of frames of any size, at any spacing: under the budget and the frame cap,
    /// the first and the newest kept, in step order.
    #[test]
    fn thinning_stays_under_the_budget(
        n in 1usize..3000,
        gap in 1usize..40,
        (o, i, k) in (1usize..64, 1usize..64, 1usize..8),
    ) {
        let shapes = [(8, 1, 3), (o, i, k)];
        let mut t = Timelapse::default();
        for j in 0..n {
            t.record(frame(j * gap, &shapes));
            prop_assert!(t.bytes() <= BUDGET_BYTES);
            prop_assert!(t.frames().len() <= MAX_FRAMES);
            prop_assert_eq!(t.bytes(), t.frames().iter().map(|f| f.bytes()).sum::<usize>());
        }
        let s = steps(&t);
        prop_assert_eq!(s[0], 0);
        prop_assert_eq!(*s.last().unwrap(), (n - 1) * gap);
        prop_assert!(s.windows(2).all(|w| w[0] < w[1]));
    }
}
