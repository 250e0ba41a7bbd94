//! `X`: the focused heatmap as a PNG. The file is decoded again (png crate) and its size and
//! pixels compared with the map and the screen's colour map; no terminal.

use cnn_tui::nn::plan::LayerId;
use cnn_tui::ui::app::{BannerKind, Panel};
use cnn_tui::ui::demo::demo_app;
use cnn_tui::ui::picture::raster::{self, GAP, Rgb};
use cnn_tui::ui::picture::{focused_plate, mosaic};
use cnn_tui::ui::widgets::colormap::{Scale, colour};
use cnn_tui::ui::{App, Event};
use crossterm::event::{Event as Input, KeyCode, KeyEvent, KeyModifiers};
use ndarray::{Array2, Array3, ArrayView2};
use std::path::{Path, PathBuf};

fn key(app: &mut App, code: KeyCode) {
    app.handle(Event::Input(Input::Key(KeyEvent::new(
        code,
        KeyModifiers::NONE,
    ))));
}

/// The PNG at `path`, decoded: (width, height, RGB bytes).
fn decode(path: &Path) -> Rgb {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut reader = png::Decoder::new(file).read_info().unwrap();
    let mut data = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut data).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    data.truncate(info.buffer_size());
    Rgb {
        width: info.width as usize,
        height: info.height as usize,
        data,
    }
}

/// Every map pixel of `map` is a square of its colour on `scale`; gaps are grey.
fn assert_pixels(img: &Rgb, map: ArrayView2<f32>, scale: Scale) {
    let (x0, y0, f) = raster::placement(map.dim());
    for ((r, c), &v) in map.indexed_iter() {
        let want = if v.is_finite() {
            colour(scale.normalise(v), scale.is_signed())
        } else {
            GAP
        };
        for (dx, dy) in [(0, 0), (f - 1, f - 1), (f / 2, 0)] {
            let got = img.pixel(x0 + c * f + dx, y0 + r * f + dy);
            assert_eq!(got, want, "map pixel ({r}, {c}) = {v}");
        }
    }
}

/// X in the focus view of conv1's map 3: the file says so, holds the map pixel for pixel at a
/// whole factor, and a legend: a bar from one end of the colour map to the other, and text.
#[test]
fn the_open_map_is_written_pixel_for_pixel_with_its_legend() {
    let mut a = demo_app();
    a.select(Some(0), Some(3));
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Char('X'));
    assert_eq!(
        a.keep.picture,
        Some(PathBuf::from(".")),
        "the event loop writes it"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = a.write_picture(dir.path()).expect("written");
    let step = a.snapshot.as_ref().unwrap().step;
    assert_eq!(
        path,
        dir.path()
            .join(format!("cnn-tui-conv1-map3-step{step}.png"))
    );
    let banner = a.banner.as_ref().unwrap();
    assert_eq!(banner.kind, BannerKind::Info);
    assert!(
        banner.text.contains(&path.display().to_string()),
        "{}",
        banner.text
    );
    let snap = a.snapshot.as_ref().unwrap();
    let fm = snap
        .feature_maps
        .iter()
        .find(|m| m.id == LayerId::conv(0))
        .unwrap();
    let map = fm.maps.index_axis(ndarray::Axis(0), 3);
    let img = decode(&path);
    let (h, w) = map.dim();
    let (x0, y0, f) = raster::placement((h, w));
    assert!(f > 1 && img.width >= w * f && img.height > y0 + h * f + 20);
    assert_eq!(img.width, (w * f).max(x0 * 2 + w * f));
    let scale = Scale::fit(map.iter().copied(), true);
    assert_pixels(&img, map, scale);
    // The legend under the map: the bar's two ends are the colour map's, the numbers are ink.
    let bar_y = y0 + h * f + 8;
    assert_eq!(img.pixel(6, bar_y), colour(0.0, true));
    assert_eq!(img.pixel(img.width - 7, bar_y), colour(1.0, true));
    let ink = (bar_y + 12..img.height)
        .flat_map(|y| (0..img.width).map(move |x| (x, y)))
        .filter(|&(x, y)| img.pixel(x, y) == (235, 235, 235))
        .count();
    assert!(
        ink > 20,
        "the legend's numbers are drawn ({ink} ink pixels)"
    );
}

/// On the dashboard: the selected block's filters (filters panel) or its conv maps (maps
/// panel), each set one picture on one scale.
#[test]
fn the_dashboard_pictures_the_focused_panels_set() {
    let mut a = demo_app();
    a.select(Some(1), None);
    a.focus = Panel::Filters;
    let plate = focused_plate(&a).unwrap();
    let step = a.snapshot.as_ref().unwrap().step;
    assert_eq!(
        plate.file_name(),
        format!("cnn-tui-conv2-filters-step{step}.png")
    );
    let w = &a.snapshot.as_ref().unwrap().filters[1];
    let (f, c, k, _) = w.dim();
    assert_eq!(plate.values.dim(), (f * (k + 1) - 1, c * (k + 1) - 1));
    // Filter 2's channel 1 is row 2, column 1 of the mosaic.
    assert_eq!(plate.values[[2 * (k + 1), k + 1]], w[[2, 1, 0, 0]]);
    let dir = tempfile::tempdir().unwrap();
    let img = decode(&a.write_picture(dir.path()).unwrap());
    assert_pixels(&img, plate.values.view(), plate.scale());

    a.focus = Panel::Maps;
    let plate = focused_plate(&a).unwrap();
    assert_eq!(
        plate.file_name(),
        format!("cnn-tui-conv2-maps-step{step}.png")
    );
    assert!(plate.signed, "conv outputs are signed, as on screen");
}

#[test]
fn mosaic_lays_tiles_in_rows_with_gaps() {
    let tiles = Array3::from_shape_fn((5, 2, 3), |(n, y, x)| (n * 100 + y * 10 + x) as f32);
    let m = mosaic(tiles.view(), 2);
    assert_eq!(m.dim(), (3 * 3 - 1, 2 * 4 - 1));
    assert_eq!(m[[0, 0]], 0.0);
    assert_eq!(m[[1, 6]], 112.0, "tile 1, row 1, column 2");
    assert_eq!(m[[6, 2]], 402.0, "tile 4 starts the third row");
    assert!(m[[2, 0]].is_nan() && m[[0, 3]].is_nan() && m[[6, 4]].is_nan());
}

/// A folder that cannot be written to: an error banner, no file, no panic.
#[test]
fn an_unwritable_folder_gives_a_banner() {
    let mut a = demo_app();
    a.focus = Panel::Filters;
    let dir = tempfile::tempdir().unwrap();
    let not_a_folder = dir.path().join("plain-file");
    std::fs::write(&not_a_folder, "x").unwrap();
    for folder in [dir.path().join("missing"), not_a_folder] {
        assert_eq!(a.write_picture(&folder), None);
        let banner = a.banner.as_ref().unwrap();
        assert_eq!(banner.kind, BannerKind::Error);
        assert!(
            banner.text.contains("picture not written"),
            "{}",
            banner.text
        );
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no file left behind"
    );
}

/// Nothing to picture: the chart has the focus, or no snapshot came yet.
#[test]
fn x_without_a_heatmap_says_what_to_do() {
    let mut a = demo_app();
    a.focus = Panel::Chart;
    key(&mut a, KeyCode::Char('X'));
    assert_eq!(a.keep.picture, None);
    let banner = a.banner.as_ref().unwrap();
    assert!(
        banner.text.contains("Tab to filters or maps"),
        "{}",
        banner.text
    );
    a.snapshot = None;
    a.focus = Panel::Maps;
    assert!(focused_plate(&a).unwrap_err().contains("snapshot"));
}

/// The font's digits are all different, so the legend's numbers can be read.
#[test]
fn the_legend_font_tells_digits_apart() {
    let glyphs: Vec<_> = "0123456789-.e".chars().map(raster::glyph).collect();
    for (i, g) in glyphs.iter().enumerate() {
        assert_ne!(*g, [0; 5], "glyph {i} is blank");
        assert!(!glyphs[..i].contains(g), "glyph {i} repeats an earlier one");
    }
    let flat = Array2::<f32>::zeros((2, 2));
    let img = raster::render(flat.view(), Scale::fit(flat.iter().copied(), false));
    assert!(img.width >= 200, "wide enough for the legend");
}

/// Writes example pictures for a person to look at: `CNN_TUI_PICTURE_DIR=/tmp/x`.
#[test]
#[ignore = "writes pictures for a person to look at"]
fn example_pictures() {
    let Some(dir) = std::env::var_os("CNN_TUI_PICTURE_DIR") else {
        return;
    };
    let mut a = demo_app();
    for panel in [Panel::Filters, Panel::Maps] {
        a.focus = panel;
        a.write_picture(Path::new(&dir)).unwrap();
    }
}
