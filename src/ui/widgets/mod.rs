//! Reusable widgets: the heatmap, with its pure colour and resampling functions.

pub mod canvas;
pub mod colormap;
pub mod heatmap;
pub mod marks;
