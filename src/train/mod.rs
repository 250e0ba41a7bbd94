//! The trainer, its messages and its worker thread.
pub mod analysis;
pub mod baseline;
pub mod ema;
pub mod guard;
mod intake;
pub mod messages;
pub mod pace;
pub mod rebuild;
pub mod search;
pub mod trainer;
pub mod worker;
mod worker_loop;

pub use messages::{Command, Update};
pub use trainer::Trainer;
