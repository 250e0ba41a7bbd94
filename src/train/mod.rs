//! The trainer, its messages and its worker thread.
pub mod messages;
pub mod trainer;
pub mod worker;
