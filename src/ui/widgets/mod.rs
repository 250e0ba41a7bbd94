//! Reusable widgets: the heatmap and its legend, with their pure parts: colour maps and
//! resampling, the 256-colour palette and contrast, and the scale chooser.

pub mod canvas;
pub mod colormap;
pub mod heatmap;
pub mod legend;
pub mod marks;
pub mod palette;
pub mod parts;
pub mod resample;
pub mod scale;
