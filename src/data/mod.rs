pub mod dataset;
pub mod files;
pub mod idx;
pub mod shift;
mod stream;
