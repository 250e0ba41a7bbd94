//! The pooling lab's figures in words: the validation accuracy under each pooling, switched
//! without retraining and after a short fine-tune of each, and one plain line that says what
//! those numbers show (computed from them, never assumed).

use super::view::note;
use crate::nn::plan::PoolKind;
use crate::number::thousands;
use crate::train::analysis::pooling::PoolingAccuracy;
use crate::train::analysis::pooling_tune::Tuned;
use crate::ui::widgets::colormap::ColorMode;
use ratatui::style::Stylize;
use ratatui::text::Line;

/// A gap smaller than this (a share of the digits) counts as none.
const LEVEL: f32 = 0.0005;

fn pct(a: Option<f32>) -> String {
    a.map_or("—".to_string(), |a| format!("{:.2} %", 100.0 * a))
}

/// Three lines: switched, fine-tuned (or being fine-tuned), and what they show.
pub fn accuracy_lines(p: Option<&PoolingAccuracy>, c: ColorMode) -> Vec<Line<'static>> {
    let Some(p) = p else {
        return vec![note(
            "validation accuracy with each pooling: computing on a copy of the weights…",
            c,
        )];
    };
    if p.max.is_none() && p.avg.is_none() {
        return vec![note(
            "the network has no pooling layer to switch (o on the dashboard adds one)",
            c,
        )];
    }
    let switched = Line::from(format!(
        "switched, no retraining: max {} · average {} (step {})",
        pct(p.max),
        pct(p.avg),
        thousands(p.step)
    ))
    .bold();
    let Some(t) = &p.tuned else {
        let waiting = "each copy fine-tuned a few hundred steps: running on the analysis thread…";
        return vec![switched, note(waiting, c)];
    };
    let tuned = Line::from(format!(
        "fine-tuned {} steps each: max {} · average {} ({} digits, {:.0} s)",
        t.tune.steps,
        pct(t.max),
        pct(t.avg),
        thousands(p.samples),
        t.seconds
    ))
    .bold();
    let mut lines = vec![switched, tuned];
    lines.extend(verdict(p, t).map(|v| note(v, c)));
    lines
}

/// The pooling the network trained with, when every pooling block used the same kind.
fn trained_kind(p: &PoolingAccuracy) -> Option<PoolKind> {
    let mut kinds = p.trained.iter().filter(|&&k| k != PoolKind::None);
    let first = *kinds.next()?;
    kinds.all(|&k| k == first).then_some(first)
}

/// What the figures say about the pooling the network did not train with: how far it fell
/// behind when switched, and how much of that the fine-tune won back.
pub fn verdict(p: &PoolingAccuracy, t: &Tuned) -> Option<String> {
    let trained = trained_kind(p)?;
    let own_first = trained == PoolKind::Max;
    let (own, other) = match own_first {
        true => ("max", "average"),
        false => ("average", "max"),
    };
    // (trained kind's accuracy, the other's)
    let get = |max: f32, avg: f32| if own_first { (max, avg) } else { (avg, max) };
    let (own0, other0) = get(p.max?, p.avg?);
    let (own1, other1) = get(t.max?, t.avg?);
    let (gap0, gap1) = (own0 - other0, own1 - other1);
    let points = |g: f32| format!("{:.2} points", 100.0 * g.abs());
    let first = match gap0 > LEVEL {
        true => format!("{other}: {} lost when switched", points(gap0)),
        false => format!("{other}: nothing lost when switched"),
    };
    let second = if gap0 > LEVEL && gap1 > LEVEL {
        let won = 100.0 * (1.0 - gap1 / gap0);
        format!("fine-tuning won back {won:.0} % of them")
    } else if gap1.abs() <= LEVEL {
        format!("fine-tuned, level with {own}")
    } else {
        let side = if gap1 < 0.0 { "above" } else { "below" };
        format!("fine-tuned, {} {side} {own}", points(gap1))
    };
    Some(format!("{first}; {second}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::analysis::pooling_tune::FineTune;

    fn figures(trained: PoolKind, switched: (f32, f32), tuned: (f32, f32)) -> String {
        let p = PoolingAccuracy {
            step: 10,
            samples: 100,
            trained: vec![trained, PoolKind::None],
            max: Some(switched.0),
            avg: Some(switched.1),
            tuned: None,
        };
        let t = Tuned {
            tune: FineTune::new(&crate::config::Hyper::default(), 0.01),
            max: Some(tuned.0),
            avg: Some(tuned.1),
            seconds: 1.0,
        };
        verdict(&p, &t).unwrap()
    }

    #[test]
    fn the_verdict_says_what_the_figures_say() {
        assert_eq!(
            figures(PoolKind::Max, (0.97, 0.93), (0.975, 0.965)),
            "average: 4.00 points lost when switched; fine-tuning won back 75 % of them"
        );
        assert_eq!(
            figures(PoolKind::Max, (0.97, 0.93), (0.97, 0.972)),
            "average: 4.00 points lost when switched; fine-tuned, 0.20 points above max"
        );
        assert_eq!(
            figures(PoolKind::Avg, (0.90, 0.95), (0.95, 0.95)),
            "max: 5.00 points lost when switched; fine-tuned, level with average"
        );
        assert_eq!(
            figures(PoolKind::Max, (0.95, 0.96), (0.95, 0.94)),
            "average: nothing lost when switched; fine-tuned, 1.00 points below max"
        );
    }

    #[test]
    fn mixed_pooling_has_no_single_verdict() {
        let p = PoolingAccuracy {
            step: 1,
            samples: 1,
            trained: vec![PoolKind::Max, PoolKind::Avg],
            max: Some(0.9),
            avg: Some(0.8),
            tuned: None,
        };
        let t = Tuned {
            tune: FineTune::new(&crate::config::Hyper::default(), 0.01),
            max: Some(0.9),
            avg: Some(0.9),
            seconds: 1.0,
        };
        assert_eq!(verdict(&p, &t), None);
        let lines = accuracy_lines(
            Some(&PoolingAccuracy {
                tuned: Some(t),
                ..p
            }),
            ColorMode::Monochrome,
        );
        assert_eq!(lines.len(), 2, "switched and fine-tuned, no verdict");
    }
}
