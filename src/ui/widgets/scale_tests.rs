use super::*;

/// Half-blocks: one pixel across and two down a cell; maps 1 column apart, rows touching.
fn half_block(area: (u16, u16)) -> Frame {
    Frame {
        area,
        ppc: (1, 2),
        gap: (1, 0),
        max_up: 8,
        min: Zoom::Half,
    }
}

#[test]
fn zoom_labels_and_cells() {
    assert_eq!(Zoom::Up(2).label(), "2:1");
    assert_eq!(Zoom::Up(1).label(), "1:1");
    assert_eq!(Zoom::Half.label(), "1:2");
    // A 28×28 map: 28 columns and 14 half-block rows at 1:1, half that at 1:2.
    assert_eq!(Zoom::Up(1).cells((28, 28), (1, 2)), (28, 14));
    assert_eq!(Zoom::Half.cells((28, 28), (1, 2)), (14, 7));
    assert_eq!(Zoom::Up(2).cells((7, 7), (1, 2)), (14, 7));
    // Braille shows 2×4 pixels a cell; ASCII one.
    assert_eq!(Zoom::Up(1).cells((28, 28), (2, 4)), (14, 7));
    assert_eq!(Zoom::Half.cells((7, 7), (1, 1)), (4, 4));
    assert!(Zoom::Half < Zoom::Up(1) && Zoom::Up(1) < Zoom::Up(2));
}

#[test]
fn one_zoom_per_panel_keeps_relative_sizes() {
    // conv 8×28×28 and pool 8×14×14 in a wide, tall panel: both drawn at one zoom, so the
    // pooled maps are half as large in cells.
    let groups = [Group::maps(8, (28, 28)), Group::maps(8, (14, 14))];
    let fit = choose(&groups, half_block((240, 60)));
    let [conv, pool] = [fit.groups[0], fit.groups[1]];
    assert_eq!(conv.tile.0, 2 * pool.tile.0);
    assert_eq!(conv.tile.1, 2 * pool.tile.1);
    assert!(fit.shows_all(&groups));
}

#[test]
fn the_largest_zoom_that_fits_is_chosen() {
    // One 28×28 map in 100×30 cells: 3:1 needs 84 columns and 42 rows, 2:1 needs 56 × 28.
    let groups = [Group::maps(1, (28, 28))];
    let fit = choose(&groups, half_block((100, 30)));
    assert_eq!(fit.zoom, Zoom::Up(2));
    assert_eq!(fit.groups[0].tile, (56, 28));
    // Every map is wanted: three maps fit at 1:1 in one row (100 columns) or two (80), but in
    // 40×20 only at 1:2; at 2:1 only one of them would be shown.
    let few = [Group::maps(3, (28, 28))];
    assert_eq!(choose(&few, half_block((100, 30))).zoom, Zoom::Up(1));
    assert_eq!(choose(&few, half_block((80, 30))).groups[0].rows, 2);
    let small = choose(&few, half_block((40, 20)));
    assert_eq!(small.zoom, Zoom::Half);
    assert!(small.shows_all(&few));
    // A group that must show 3 of its 8 maps: 1:1 shows three a row (2:1 only one), and
    // the rows left over show three more.
    let mut eight = Group::maps(8, (28, 28));
    eight.min_shown = 3;
    let fit = choose(&[eight], half_block((100, 30)));
    assert_eq!(fit.zoom, Zoom::Up(1));
    assert_eq!((fit.groups[0].per_row, fit.groups[0].shown), (3, 6));
}

#[test]
fn never_below_half_and_says_how_many_fit() {
    // 16 maps of 28×28 in 40×10 cells: at 1:2 a map is 14×7, two a row, one row.
    let groups = [Group::maps(16, (28, 28))];
    let fit = choose(&groups, half_block((40, 10)));
    assert_eq!(fit.zoom, Zoom::Half);
    let g = fit.groups[0];
    assert_eq!((g.per_row, g.rows, g.shown), (2, 1, 2));
    assert!(!fit.shows_all(&groups));
    // A panel too small for even one map at 1:2 shows none rather than shrink further.
    let tiny = choose(&groups, half_block((10, 5)));
    assert_eq!(tiny.zoom, Zoom::Half);
    assert_eq!(tiny.groups[0].shown, 0);
}

#[test]
fn groups_that_do_not_fit_are_left_out_in_order() {
    // Three groups of 28×28 maps, 8 rows each at 1:2 (label + 7): only two fit in 17 rows.
    let groups = [Group::maps(1, (28, 28)); 3];
    let fit = choose(&groups, half_block((20, 17)));
    assert_eq!(fit.zoom, Zoom::Half);
    let rows: Vec<usize> = fit.groups.iter().map(|g| g.rows).collect();
    assert_eq!(rows, vec![1, 1, 0]);
}

#[test]
fn the_lowest_ranks_are_left_out_first() {
    // conv 8×28×28, ReLU 8×28×28, pool 8×14×14 in 78×16 at 1:2: 8 + 8 + 5 rows do not fit;
    // leaving out the ReLU (the lowest rank) shows the conv and the pool.
    let rank = |mut g: Group, r: u8| {
        g.rank = r;
        g
    };
    let groups = [
        rank(Group::maps(8, (28, 28)), 9),
        rank(Group::maps(8, (28, 28)), 5),
        rank(Group::maps(8, (14, 14)), 8),
    ];
    let fit = choose(&groups, half_block((78, 16)));
    assert_eq!(fit.zoom, Zoom::Half);
    let rows: Vec<usize> = fit.groups.iter().map(|g| g.rows).collect();
    assert_eq!(rows, vec![1, 0, 1]);
}

#[test]
fn left_over_rows_show_more_maps() {
    // 16 maps of 28×28 in 31×22: at 1:2 two a row (14 + 1 + 14) of 7 rows, so 3 rows.
    let groups = [Group::maps(16, (28, 28))];
    let fit = choose(&groups, half_block((31, 22)));
    assert_eq!(fit.zoom, Zoom::Half);
    let g = fit.groups[0];
    assert_eq!((g.per_row, g.rows, g.shown, g.height), (2, 3, 6, 22));
    // All 8 maps of 14×14 fit there at 1:2, four a row, and are all shown.
    let eight = [Group::maps(8, (14, 14))];
    let fit = choose(&eight, half_block((31, 22)));
    assert_eq!((fit.zoom, fit.groups[0].per_row), (Zoom::Half, 4));
    assert!(fit.shows_all(&eight));
}

#[test]
fn a_lead_map_sits_beside_the_first_rows() {
    // The input 28×28 beside 8 conv maps of 14×14 at 1:1: the lead is 14 rows tall, so two
    // rows of 7-row maps fit beside it at no extra height (2:1 would need 29 rows).
    let mut conv = Group::maps(8, (14, 14));
    conv.lead = Some((28, 28));
    let fit = choose(&[conv], half_block((88, 15)));
    assert_eq!(fit.zoom, Zoom::Up(1));
    let g = fit.groups[0];
    assert_eq!(g.lead, Some((28, 14)));
    // 88 − 28 − 1 = 59 columns: 4 maps of 14 with gaps between (59 = 4·14 + 3).
    assert_eq!((g.per_row, g.rows, g.shown, g.height), (4, 2, 8, 15));
}

#[test]
fn filter_rows_keep_their_length_and_the_minimum_rows() {
    // 16 filters × 8 channels of 3×3, at least 8 filter rows, one blank row between them.
    let grid = Group {
        count: 16 * 8,
        map: (3, 3),
        row_len: Some(8),
        indent: 3,
        lead: None,
        min_shown: 8 * 8,
        rank: 0,
    };
    let frame = Frame {
        area: (60, 30),
        ppc: (1, 2),
        gap: (1, 1),
        max_up: 6,
        min: Zoom::Up(1),
    };
    let fit = choose(&[grid], frame);
    // 2:1 needs 8 rows of 3 + 7 blank rows + the label = 32 > 30; 1:1 needs 24, and the 6
    // rows left show two more filters.
    assert_eq!(fit.zoom, Zoom::Up(1));
    let g = fit.groups[0];
    assert_eq!(g.per_row, 8);
    assert_eq!(g.rows, 10, "{g:?}");
    assert_eq!(g.shown, g.rows * 8);
    // 57 columns are 1 short of 8 tiles of 6 at 2:1: a zoom that cuts a filter's channels is
    // not chosen while a smaller one shows them all.
    let narrow = choose(
        &[grid],
        Frame {
            area: (57, 60),
            ..frame
        },
    );
    assert_eq!((narrow.zoom, narrow.groups[0].per_row), (Zoom::Up(1), 8));
    let wide = choose(
        &[grid],
        Frame {
            area: (58, 60),
            ..frame
        },
    );
    assert_eq!((wide.zoom, wide.groups[0].per_row), (Zoom::Up(2), 8));
}

#[test]
fn the_window_follows_the_selection() {
    assert_eq!(window(0, 6, 16), 0);
    assert_eq!(window(9, 6, 16), 6);
    assert_eq!(window(15, 6, 16), 10);
    assert_eq!(window(5, 8, 8), 0);
    for sel in 0..16 {
        let first = window(sel, 5, 16);
        assert!((first..first + 5).contains(&sel) && first + 5 <= 16);
    }
}
