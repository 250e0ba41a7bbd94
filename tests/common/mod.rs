//! Helpers shared by the tests that run the real binary: on the command line (`cli`) and in a
//! pseudo-terminal (`pty`).

#![allow(dead_code, unused_imports)] // each test file uses a different part

pub mod cli;
pub mod pty;
pub mod screen;

pub use cli::*;
pub use pty::*;
pub use screen::*;
