//! The trainer, its messages and its worker thread.
pub mod messages;
pub mod rebuild;
pub mod search;
pub mod trainer;
pub mod worker;

pub use messages::{Command, Update};
pub use trainer::Trainer;
