//! `X`: the focused heatmap as a PNG file. In the focus view the open map, filter or input;
//! on the dashboard the selected block's filters (filters panel focused) or the probe digit's
//! feature maps of the selected block's conv layer (maps panel focused). Tiles of a set are
//! laid out as on screen, one gap pixel between them, all on one scale so that the legend
//! holds for every tile. The key asks; the event loop writes (`App::write_picture`).

pub mod raster;

use super::app::{App, BannerKind, Panel};
use super::focus::Target;
use super::scene;
use crate::nn::plan::LayerId;
use crate::ui::widgets::colormap::Scale;
use ndarray::{Array2, ArrayView3, s};
use std::path::{Path, PathBuf};

/// What a picture shows: its values `(H, W)` (NaN between tiles), their colour map and the
/// file name's words.
#[derive(Debug, Clone, PartialEq)]
pub struct Plate {
    /// E.g. `conv2-map5`, `conv1-filters`: the file name says the layer and the index.
    pub stem: String,
    pub step: usize,
    pub values: Array2<f32>,
    pub signed: bool,
}

impl Plate {
    /// E.g. `cnn-tui-conv2-map5-step1200.png`.
    pub fn file_name(&self) -> String {
        format!("cnn-tui-{}-step{}.png", self.stem, self.step)
    }

    /// One scale over every value, as the screen's "per layer" scale.
    pub fn scale(&self) -> Scale {
        Scale::fit(self.values.iter().copied(), self.signed)
    }
}

/// The plate of what has the focus, or why there is none.
pub fn focused_plate(app: &App) -> Result<Plate, String> {
    let snap = app
        .snapshot
        .as_deref()
        .ok_or("no picture yet: waiting for the first snapshot")?;
    if let Some(view) = &app.focus_view {
        let scene = scene::resolve(app, view.target)?;
        let stem = match view.target {
            Target::Input => format!("input{}", snap.probe_index),
            Target::Map { .. } => format!("{}-map{}", scene.name, scene.index),
            Target::Filter { block, .. } => format!("conv{}-filter{}", block + 1, scene.index),
        };
        return Ok(Plate {
            stem,
            step: snap.step,
            values: scene.picture.to_owned(),
            signed: scene.signed,
        });
    }
    let block = app.selected_block;
    match app.focus {
        Panel::Filters => {
            let w = snap
                .filters
                .get(block)
                .ok_or("this block has no filters yet")?;
            let (f, c, k, _) = w.dim();
            let tiles = w.to_shape((f * c, k, k)).map_err(|e| e.to_string())?;
            Ok(Plate {
                stem: format!("conv{}-filters", block + 1),
                step: snap.step,
                values: mosaic(tiles.view(), c),
                signed: true,
            })
        }
        Panel::Maps => {
            let fm = (snap.feature_maps.iter())
                .find(|fm| fm.id == LayerId::conv(block))
                .ok_or("the selected block's maps are not in this snapshot yet")?;
            let cols = (fm.maps.dim().0 as f64).sqrt().ceil() as usize;
            Ok(Plate {
                stem: format!("{}-maps", fm.layer),
                step: snap.step,
                values: mosaic(fm.maps.view(), cols),
                signed: true,
            })
        }
        _ => Err("nothing to picture here: Tab to filters or maps, or open one (Enter)".into()),
    }
}

/// Tiles `(N, H, W)` in rows of `cols`, one NaN pixel between neighbours.
pub fn mosaic(tiles: ArrayView3<f32>, cols: usize) -> Array2<f32> {
    let (n, h, w) = tiles.dim();
    let cols = cols.clamp(1, n.max(1));
    let rows = n.div_ceil(cols);
    let size = |count: usize, side: usize| (count * (side + 1)).saturating_sub(1);
    let mut out = Array2::from_elem((size(rows, h), size(cols, w)), f32::NAN);
    for (i, tile) in tiles.outer_iter().enumerate() {
        let (y, x) = ((i / cols) * (h + 1), (i % cols) * (w + 1));
        out.slice_mut(s![y..y + h, x..x + w]).assign(&tile);
    }
    out
}

impl App {
    /// `X`: ask the event loop for a picture of the focused heatmap in the current folder.
    pub(super) fn export_picture(&mut self) -> Vec<crate::train::messages::Command> {
        match focused_plate(self) {
            Ok(_) => self.keep.picture = Some(PathBuf::from(".")),
            Err(why) => self.set_banner(BannerKind::Warning, why),
        }
        Vec::new()
    }

    /// Write the focused heatmap into `folder` and say where, or why not; the path written.
    pub fn write_picture(&mut self, folder: &Path) -> Option<PathBuf> {
        let written = focused_plate(self).and_then(|plate| {
            let path = folder.join(plate.file_name());
            let img = raster::render(plate.values.view(), plate.scale());
            raster::write_png(&path, &img)
                .map(|()| path)
                .map_err(|e| format!("picture not written to {}: {e}", folder.display()))
        });
        match written {
            Ok(path) => {
                self.set_banner(BannerKind::Info, format!("wrote {}", path.display()));
                Some(path)
            }
            Err(e) => {
                self.set_banner(BannerKind::Error, e);
                None
            }
        }
    }
}
