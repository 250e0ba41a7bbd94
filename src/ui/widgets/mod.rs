//! Reusable widgets: the heatmap, with its pure colour and resampling functions.

pub mod colormap;
pub mod heatmap;
pub mod scale;
