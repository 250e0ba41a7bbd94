//! The trainer, its messages and its worker thread.
pub mod messages;
// Re-enabled once the engine's Network API lands (lead, in progress).
// pub mod rebuild;
// pub mod trainer;
// pub mod worker;

pub use messages::{Command, Update};
