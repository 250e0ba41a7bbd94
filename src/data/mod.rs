pub mod idx;
pub mod dataset;
