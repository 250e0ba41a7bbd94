pub mod dataset;
pub mod files;
pub mod idx;
mod stream;
