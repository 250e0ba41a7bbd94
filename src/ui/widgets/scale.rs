//! The scale chooser: one integer zoom for every map of a panel, so that maps keep their
//! relative sizes (a 14×14 map is drawn half as large as a 28×28 one) and no map is drawn with
//! fewer than half its pixels in each direction. Pure: sizes in, sizes out.

/// Drawn pixels per map pixel: `Up(n)` repeats each map pixel n×n times ("n:1"); `Half`
/// averages 2×2 map pixels into one ("1:2"), the smallest a map is ever drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Zoom {
    Half,
    Up(u16),
}

impl Zoom {
    /// "2:1", "1:1", "1:2": drawn pixels to map pixels.
    pub fn label(self) -> String {
        match self {
            Zoom::Half => "1:2".into(),
            Zoom::Up(n) => format!("{n}:1"),
        }
    }

    /// Drawn pixels for `px` map pixels.
    pub fn pixels(self, px: usize) -> usize {
        match self {
            Zoom::Half => px.div_ceil(2),
            Zoom::Up(n) => px * n as usize,
        }
    }

    /// Cells (columns, rows) of a map of `(h, w)` pixels in glyphs showing `ppc` = (across,
    /// down) pixels a cell.
    pub fn cells(self, (h, w): (usize, usize), (ppx, ppy): (usize, usize)) -> (u16, u16) {
        let c = |px: usize, per: usize| self.pixels(px).div_ceil(per.max(1)).max(1);
        (c(w, ppx) as u16, c(h, ppy) as u16)
    }

    /// The zooms from `max` down to 1:2, largest first.
    fn down_from(max: u16) -> impl Iterator<Item = Zoom> {
        (1..=max.max(1))
            .rev()
            .map(Zoom::Up)
            .chain(std::iter::once(Zoom::Half))
    }
}

/// Maps of one size drawn in rows under a label: one layer's maps, or a layer's filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group {
    pub count: usize,
    /// Pixels of each map, (h, w).
    pub map: (usize, usize),
    /// Maps a logical row holds (a filter's input channels, one row per filter), cut to the
    /// width; `None` fills each row with as many as fit.
    pub row_len: Option<usize>,
    /// Columns taken at the left of every row (row numbers).
    pub indent: u16,
    /// A single map (the input digit) drawn at the left of the group's first rows, (h, w).
    pub lead: Option<(usize, usize)>,
    /// Maps the group must show for a zoom to be chosen (all if it has fewer; for `row_len`
    /// groups, whole rows of them); `usize::MAX`: all its maps.
    pub min_shown: usize,
    /// How much the group matters when not every group fits: the lowest ranks are left out.
    pub rank: u8,
}

impl Group {
    /// `count` maps of `map` pixels, as many a row as fit, all of them wanted.
    pub fn maps(count: usize, map: (usize, usize)) -> Group {
        Group {
            count,
            map,
            row_len: None,
            indent: 0,
            lead: None,
            min_shown: usize::MAX,
            rank: 0,
        }
    }

    /// Rows of maps needed to show `n` of them.
    fn rows_for(&self, n: usize, per_row: usize) -> usize {
        match self.row_len {
            Some(len) => n.div_ceil(len.max(1)),
            None => n.div_ceil(per_row.max(1)),
        }
    }
}

/// How a panel lays out its groups: the cells it has, the glyphs' pixels a cell, the gaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame {
    /// (columns, rows) available.
    pub area: (u16, u16),
    /// Pixels a cell shows, (across, down).
    pub ppc: (usize, usize),
    /// Blank columns between maps and blank rows between rows of maps.
    pub gap: (u16, u16),
    /// The largest zoom offered.
    pub max_up: u16,
    /// The smallest zoom offered (filters are never shrunk: `Up(1)`).
    pub min: Zoom,
}

/// One group at the chosen zoom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    /// Cells (columns, rows) of one map.
    pub tile: (u16, u16),
    /// Cells of the lead map, when there is one.
    pub lead: Option<(u16, u16)>,
    /// Maps a row, and rows of maps shown; 0 rows when the group did not fit.
    pub per_row: usize,
    pub rows: usize,
    /// Maps shown (for `row_len` groups: logical rows shown × maps a row shown).
    pub shown: usize,
    /// Rows of the panel the group takes, its label row included.
    pub height: u16,
}

/// The zoom of a panel and where each group stands at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fit {
    pub zoom: Zoom,
    pub groups: Vec<Placed>,
}

impl Fit {
    /// True when every map of every group is shown.
    pub fn shows_all(&self, groups: &[Group]) -> bool {
        self.groups
            .iter()
            .zip(groups)
            .all(|(p, g)| p.shown >= g.count)
    }
}

/// The largest zoom (from `frame.max_up` down to `frame.min`) at which every group gets its
/// label and shows its `min_shown` maps; rows left over then show more maps, group by group.
/// When even the smallest zoom cannot give every group its rows, that zoom is used, the groups
/// of lowest `rank` are left out (0 rows) until the others fit a row each, then get more rows.
pub fn choose(groups: &[Group], frame: Frame) -> Fit {
    let zooms: Vec<Zoom> = Zoom::down_from(frame.max_up)
        .filter(|&z| z >= frame.min)
        .collect();
    let smallest = zooms.last().copied().unwrap_or(frame.min);
    zooms
        .iter()
        .find_map(|&zoom| place(groups, frame, zoom, false))
        .or_else(|| place(groups, frame, smallest, true))
        .unwrap_or(Fit {
            zoom: smallest,
            groups: Vec::new(),
        })
}

/// The groups at `zoom`: each gets its minimum rows (`partial`: one row, the lowest ranks left
/// out until the rest fit), then rows left over; `None` when a minimum does not fit and
/// `partial` is false.
fn place(groups: &[Group], frame: Frame, zoom: Zoom, partial: bool) -> Option<Fit> {
    let sizes: Vec<Sizes> = groups.iter().map(|g| at_zoom(g, frame, zoom)).collect();
    let mut out: Vec<Placed> = groups
        .iter()
        .zip(&sizes)
        .map(|(g, p)| {
            let want = match partial {
                true => 1.min(p.rows_needed),
                false => g.rows_for(g.min_shown.min(g.count), p.per_row).max(1),
            };
            // A row of a filter's channels is cut only at the smallest zoom.
            let cut = g.row_len.is_some_and(|len| p.per_row < len.min(g.count));
            let fits = p.per_row > 0 && (partial || !cut);
            p.placed(
                want * fits as usize,
                band(p, want, frame.gap.1) * fits as u16,
                g,
            )
        })
        .collect();
    if !partial && out.iter().any(|p| p.rows == 0) {
        return None;
    }
    let used = |out: &[Placed]| out.iter().map(|p| p.height).sum::<u16>();
    while used(&out) > frame.area.1 {
        if !partial {
            return None;
        }
        // The lowest rank goes first, the last of equals.
        let drop = (0..groups.len())
            .filter(|&i| out[i].rows > 0)
            .min_by_key(|&i| (groups[i].rank, std::cmp::Reverse(i)));
        let Some(i) = drop else { break };
        out[i] = sizes[i].placed(0, 0, &groups[i]);
    }
    grow(groups, &sizes, frame, &mut out);
    Some(Fit { zoom, groups: out })
}

/// Rows left over go to the groups in order, a row of maps at a time.
fn grow(groups: &[Group], sizes: &[Sizes], frame: Frame, out: &mut [Placed]) {
    let mut used: u16 = out.iter().map(|p| p.height).sum();
    for ((g, p), placed) in groups.iter().zip(sizes).zip(out.iter_mut()) {
        while placed.rows > 0 && placed.rows < p.rows_needed {
            let h = band(p, placed.rows + 1, frame.gap.1);
            if used - placed.height + h > frame.area.1 {
                break;
            }
            used = used - placed.height + h;
            *placed = p.placed(placed.rows + 1, h, g);
        }
    }
}

/// A group's sizes at a zoom, before rows are chosen.
struct Sizes {
    tile: (u16, u16),
    lead: Option<(u16, u16)>,
    per_row: usize,
    rows_needed: usize,
}

fn at_zoom(g: &Group, frame: Frame, zoom: Zoom) -> Sizes {
    let tile = zoom.cells(g.map, frame.ppc);
    let lead = g.lead.map(|m| zoom.cells(m, frame.ppc));
    let lead_w = lead.map_or(0, |(w, _)| w + frame.gap.0);
    let room = frame.area.0.saturating_sub(g.indent + lead_w);
    // n maps take n·w + (n − 1)·gap columns.
    let fit = ((room + frame.gap.0) / (tile.0 + frame.gap.0)) as usize;
    let per_row = g.row_len.map_or(fit, |len| len.min(fit)).min(g.count);
    Sizes {
        tile,
        lead,
        per_row,
        rows_needed: g.rows_for(g.count, per_row),
    }
}

/// Panel rows for a label and `rows` rows of maps, beside the lead if there is one.
fn band(p: &Sizes, rows: usize, gap: u16) -> u16 {
    let maps = rows as u16 * p.tile.1 + (rows as u16).saturating_sub(1) * gap;
    1 + maps.max(p.lead.map_or(0, |(_, h)| h))
}

impl Sizes {
    fn placed(&self, rows: usize, height: u16, g: &Group) -> Placed {
        let shown = match g.row_len {
            Some(_) => rows.min(self.rows_needed) * self.per_row,
            None => (rows * self.per_row).min(g.count),
        };
        Placed {
            tile: self.tile,
            lead: self.lead,
            per_row: self.per_row,
            rows,
            shown,
            height,
        }
    }
}

/// The first of `shown` consecutive items out of `total` so that `selected` is among them,
/// as near the middle as the ends allow.
pub fn window(selected: usize, shown: usize, total: usize) -> usize {
    if shown == 0 || shown >= total {
        return 0;
    }
    selected
        .min(total - 1)
        .saturating_sub(shown / 2)
        .min(total - shown)
}

#[cfg(test)]
#[path = "scale_tests.rs"]
mod tests;
