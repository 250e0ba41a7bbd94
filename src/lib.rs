//! cnn-tui: watch a small convolutional network learn MNIST, live in the terminal.
//!
//! The engine (`nn`) and the data (`data`) know nothing of terminals; the trainer (`train`)
//! is synchronous and wrapped by a thin worker thread; the dashboard (`ui`) and the headless
//! printer (`headless`) both consume the same `train::Update` stream.

pub mod bench;
pub mod checkpoint;
pub mod cli;
pub mod config;
pub mod data;
pub mod headless;
pub mod metrics;
pub mod nn;
pub mod number;
pub mod train;
pub mod ui;
