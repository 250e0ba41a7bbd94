//! `--metrics FILE`: every step's and every evaluation's figures, appended to a file while
//! training runs: CSV for a `.csv` file, JSON lines for `.jsonl`, `.ndjson` or `.json`.
//!
//! One record per event. CSV columns (a header line when the file is new):
//! `event,time,step,epoch,progress,loss,accuracy,lr,samples_per_sec,set,samples,elapsed`,
//! where `event` is `step` or `eval`, `time` is Unix seconds, `elapsed` the wall-clock seconds
//! since the sink opened (the run's start: steps over elapsed time is the real training
//! speed, whatever the status line estimates), `epoch` counts from 1, and the cells an event
//! does not have are empty (`accuracy` is the batch's for a step, the set's for an
//! evaluation). JSON lines carry the same names, without the empty ones.
//!
//! A sink is plain: the headless run and the dashboard feed it the same `StepMetrics` and
//! `EvalMetrics`. It flushes after each evaluation and at least once a second, so that
//! `tail -f` follows a run.

use crate::train::messages::{EvalMetrics, EvalSet, StepMetrics};
use serde_json::json;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use thiserror::Error;

pub const CSV_HEADER: &str =
    "event,time,step,epoch,progress,loss,accuracy,lr,samples_per_sec,set,samples,elapsed";
const FLUSH_EVERY: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricsFormat {
    Csv,
    JsonLines,
}

#[derive(Debug, Error)]
pub enum MetricsError {
    #[error(
        "{file}: a metrics file must end in .csv (CSV) or .jsonl, .ndjson or .json (JSON lines)"
    )]
    Extension { file: String },
    #[error("{file}: already holds other columns than cnn-tui's metrics; choose another file")]
    ForeignCsv { file: String },
    // The OS error is in the message, not a `source`, so that anyhow shows it once.
    #[error("{file}: cannot write metrics: {error}")]
    Io { file: String, error: io::Error },
}

impl MetricsFormat {
    /// The format a file name asks for.
    pub fn of(path: &Path) -> Option<MetricsFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(MetricsFormat::Csv),
            "jsonl" | "ndjson" | "json" => Some(MetricsFormat::JsonLines),
            _ => None,
        }
    }
}

/// Appends metrics records to one file.
pub struct MetricsSink {
    file: String,
    format: MetricsFormat,
    out: BufWriter<File>,
    last_flush: Instant,
    /// When the sink opened: `elapsed` counts from here.
    opened: Instant,
}

impl MetricsSink {
    /// Open `path` for appending (creating it). A CSV file that already has content must
    /// start with cnn-tui's header, so that the columns of every line agree.
    pub fn create(path: &Path) -> Result<MetricsSink, MetricsError> {
        let file = path.display().to_string();
        let format = MetricsFormat::of(path)
            .ok_or_else(|| MetricsError::Extension { file: file.clone() })?;
        let io_err = |error| MetricsError::Io {
            file: file.clone(),
            error,
        };
        let handle = OpenOptions::new()
            .append(true)
            .create(true)
            .open(path)
            .map_err(io_err)?;
        let meta = handle.metadata().map_err(io_err)?;
        let mut sink = MetricsSink {
            file: file.clone(),
            format,
            out: BufWriter::new(handle),
            last_flush: Instant::now(),
            opened: Instant::now(),
        };
        if format == MetricsFormat::Csv && meta.is_file() {
            if meta.len() == 0 {
                sink.write_line(CSV_HEADER)?;
            } else if first_line(path).map_err(io_err)? != CSV_HEADER {
                return Err(MetricsError::ForeignCsv { file });
            }
        }
        Ok(sink)
    }

    pub fn format(&self) -> MetricsFormat {
        self.format
    }

    /// One training step.
    pub fn step(&mut self, m: &StepMetrics) -> Result<(), MetricsError> {
        let line = match self.format {
            MetricsFormat::Csv => format!(
                "step,{:.3},{},{},{},{},{},{},{},,,{:.3}",
                now(),
                m.step,
                m.epoch + 1,
                m.epoch_progress,
                m.loss,
                m.batch_accuracy,
                m.lr,
                m.samples_per_sec,
                self.elapsed()
            ),
            MetricsFormat::JsonLines => json!({
                "event": "step", "time": now(), "step": m.step, "epoch": m.epoch + 1,
                "progress": m.epoch_progress, "loss": m.loss, "accuracy": m.batch_accuracy,
                "lr": m.lr, "samples_per_sec": m.samples_per_sec, "elapsed": self.elapsed(),
            })
            .to_string(),
        };
        self.write_line(&line)?;
        if self.last_flush.elapsed() >= FLUSH_EVERY {
            self.flush()?;
        }
        Ok(())
    }

    /// One evaluation on the validation or test set.
    pub fn eval(&mut self, m: &EvalMetrics) -> Result<(), MetricsError> {
        let set = match m.set {
            EvalSet::Validation => "validation",
            EvalSet::Test => "test",
        };
        let line = match self.format {
            MetricsFormat::Csv => format!(
                "eval,{:.3},{},{},,{},{},,,{set},{},{:.3}",
                now(),
                m.step,
                m.epoch + 1,
                m.loss,
                m.accuracy,
                m.samples,
                self.elapsed()
            ),
            MetricsFormat::JsonLines => json!({
                "event": "eval", "time": now(), "step": m.step, "epoch": m.epoch + 1,
                "loss": m.loss, "accuracy": m.accuracy, "set": set, "samples": m.samples,
                "elapsed": self.elapsed(),
            })
            .to_string(),
        };
        self.write_line(&line)?;
        self.flush()
    }

    /// Wall-clock seconds since the sink opened.
    fn elapsed(&self) -> f64 {
        self.opened.elapsed().as_secs_f64()
    }

    pub fn flush(&mut self) -> Result<(), MetricsError> {
        self.last_flush = Instant::now();
        self.out.flush().map_err(|error| MetricsError::Io {
            file: self.file.clone(),
            error,
        })
    }

    fn write_line(&mut self, line: &str) -> Result<(), MetricsError> {
        writeln!(self.out, "{line}").map_err(|error| MetricsError::Io {
            file: self.file.clone(),
            error,
        })
    }
}

impl Drop for MetricsSink {
    fn drop(&mut self) {
        // Callers flush at the end to see errors; here there is nobody left to tell.
        let _ = self.out.flush();
    }
}

fn first_line(path: &Path) -> io::Result<String> {
    let mut line = String::new();
    BufReader::new(File::open(path)?)
        .take(4096)
        .read_line(&mut line)?;
    Ok(line.trim_end().to_string())
}

/// Seconds since the Unix epoch (0 if the clock is before it).
fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Write the dashboard's history to a new CSV file at `path` (replacing one there): a `step`
/// row per loss point and an `eval` row per validation, in the sink's columns, the cells the
/// history does not keep left empty. The history is bounded, so a long run's loss points are
/// the extremes of neighbouring steps. `val_loss` and `val_accuracy` are (step, value) pairs
/// of the same validations. Returns the rows written.
pub fn write_history(
    path: &Path,
    loss: &[(f64, f64)],
    val_loss: &[(f64, f64)],
    val_accuracy: &[(f64, f64)],
) -> Result<usize, MetricsError> {
    let io_err = |error| MetricsError::Io {
        file: path.display().to_string(),
        error,
    };
    // A temporary file beside it, renamed when complete: never half a history under its name.
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::NamedTempFile::new_in(folder).map_err(io_err)?;
    let mut out = BufWriter::new(tmp.as_file());
    writeln!(out, "{CSV_HEADER}").map_err(io_err)?;
    let steps = loss
        .iter()
        .map(|&(s, l)| (s, format!("step,,{s},,,{l},,,,,,")));
    let evals = val_accuracy.iter().map(|&(s, a)| {
        let l = val_loss.iter().find(|p| p.0 == s).map(|p| p.1.to_string());
        let l = l.unwrap_or_default();
        (s, format!("eval,,{s},,,{l},{a},,,validation,,"))
    });
    let mut rows: Vec<_> = steps.chain(evals).collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, row) in &rows {
        writeln!(out, "{row}").map_err(io_err)?;
    }
    out.flush().map_err(io_err)?;
    drop(out);
    tmp.persist(path).map_err(|e| io_err(e.error))?;
    Ok(rows.len())
}
