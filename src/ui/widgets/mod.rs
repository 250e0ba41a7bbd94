//! Reusable widgets: the heatmap (with its pure colour and resampling functions) and the
//! training-history charts.

pub mod chart;
pub mod colormap;
pub mod heatmap;
