pub mod dataset;
pub mod idx;
