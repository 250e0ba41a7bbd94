//! Max and average pooling over non-overlapping `w×w` windows (stride = window, no padding).
//!
//! # Shapes
//! - input `(N, C, H, W)` → output `(N, C, ⌊H/w⌋, ⌊W/w⌋)`; the last `H mod w` rows and
//!   `W mod w` columns are never read (their gradient is 0).
//!
//! Each `(H, W)` plane is independent, so planes are split across rayon's threads.

use super::{Layer, Tensor, piece_len, reuse};
use rayon::prelude::*;

/// Sizes of one pooling applied to one input shape.
#[derive(Debug, Clone, Copy)]
struct Geom {
    win: usize,
    h: usize,
    w: usize,
    oh: usize,
    ow: usize,
}

impl Geom {
    fn new(name: &str, (_, _, h, w): (usize, usize, usize, usize), win: usize) -> Geom {
        assert!(
            h >= win && w >= win,
            "{name}: a {win}×{win} window does not fit {h}×{w}"
        );
        Geom {
            win,
            h,
            w,
            oh: h / win,
            ow: w / win,
        }
    }
    /// The geometry of the last forward pass, checking that `dy` matches its output.
    fn for_backward(
        name: &str,
        in_dim: (usize, usize, usize, usize),
        win: usize,
        dy: (usize, usize, usize, usize),
    ) -> Geom {
        let g = Geom::new(name, in_dim, win);
        let (n, c, _, _) = in_dim;
        assert_eq!(dy, (n, c, g.oh, g.ow), "{name}: dy must match the output");
        g
    }
    fn in_plane(&self) -> usize {
        self.h * self.w
    }
    fn out_plane(&self) -> usize {
        self.oh * self.ow
    }
}

/// Planes per parallel piece: one piece of samples per thread.
fn planes_per_chunk(x: (usize, usize, usize, usize)) -> usize {
    piece_len(x.0) * x.1
}

/// Max pooling; the gradient goes to the first maximum of each window (ties to the first).
pub struct MaxPool2d {
    name: String,
    window: usize,
    in_dim: (usize, usize, usize, usize),
    /// For each output value, the index of its maximum within its input plane.
    argmax: Vec<u32>,
}

impl MaxPool2d {
    pub fn new(name: impl Into<String>, window: usize) -> MaxPool2d {
        assert!(
            (1..=4).contains(&window),
            "max-pool windows are 1 to 4, got {window}"
        );
        MaxPool2d {
            name: name.into(),
            window,
            in_dim: (0, 0, 0, 0),
            argmax: Vec::new(),
        }
    }
}

impl Layer for MaxPool2d {
    fn name(&self) -> &str {
        &self.name
    }

    fn forward_reusing(&mut self, x: &Tensor, spare: Tensor) -> Tensor {
        let (n, c, _, _) = x.dim();
        let g = Geom::new(&self.name, x.dim(), self.window);
        self.in_dim = x.dim();
        let x = x.as_standard_layout();
        let mut y = reuse(spare, (n, c, g.oh, g.ow)); // (N,C,H,W) → (N,C,⌊H/w⌋,⌊W/w⌋), all overwritten
        self.argmax.resize(y.len(), 0);
        let pc = planes_per_chunk(x.dim());
        let xs = x.as_slice().expect("standard layout");
        xs.par_chunks(pc * g.in_plane())
            .zip(
                y.as_slice_mut()
                    .expect("fresh")
                    .par_chunks_mut(pc * g.out_plane()),
            )
            .zip(self.argmax.par_chunks_mut(pc * g.out_plane()))
            .for_each(|((xc, yc), ac)| {
                let planes = xc.chunks_exact(g.in_plane());
                let outs = yc
                    .chunks_exact_mut(g.out_plane())
                    .zip(ac.chunks_exact_mut(g.out_plane()));
                for (plane, (out, arg)) in planes.zip(outs) {
                    max_plane_dyn(&g, plane, out, arg);
                }
            });
        y
    }

    fn backward_reusing(&mut self, dy: &Tensor, spare: Tensor) -> Tensor {
        let g = Geom::for_backward(&self.name, self.in_dim, self.window, dy.dim());
        let dy = dy.as_standard_layout();
        let mut dx = reuse(spare, self.in_dim); // (N,C,⌊H/w⌋,⌊W/w⌋) → (N,C,H,W)
        let pc = planes_per_chunk(self.in_dim);
        dx.as_slice_mut()
            .expect("fresh")
            .par_chunks_mut(pc * g.in_plane())
            .zip(
                dy.as_slice()
                    .expect("standard layout")
                    .par_chunks(pc * g.out_plane()),
            )
            .zip(self.argmax.par_chunks(pc * g.out_plane()))
            .for_each(|((dxc, dyc), ac)| {
                dxc.fill(0.0); // in the threads: zeroing is a pass over memory too
                for ((plane, d), arg) in dxc
                    .chunks_exact_mut(g.in_plane())
                    .zip(dyc.chunks_exact(g.out_plane()))
                    .zip(ac.chunks_exact(g.out_plane()))
                {
                    // Windows do not overlap: each input pixel gets at most one gradient.
                    d.iter().zip(arg).for_each(|(&v, &a)| plane[a as usize] = v);
                }
            });
        dx
    }
}

/// One plane: each window's maximum and where it is (the first one on ties, row-major order).
/// `W` is a constant so the window loops unroll, and the comparisons are selects, not
/// branches: on real data they are unpredictable, and mispredictions made this loop 4× slower.
fn max_plane<const W: usize>(g: &Geom, plane: &[f32], out: &mut [f32], arg: &mut [u32]) {
    for (oh, (orow, arow)) in out
        .chunks_exact_mut(g.ow)
        .zip(arg.chunks_exact_mut(g.ow))
        .enumerate()
    {
        let top = oh * W * g.w; // the windows' first row in the plane
        let rows: [&[f32]; W] = std::array::from_fn(|i| &plane[top + i * g.w..][..g.ow * W]);
        for (o, (m, a)) in orow.iter_mut().zip(arow.iter_mut()).enumerate() {
            let (mut best, mut at) = (rows[0][o * W], 0);
            for (i, row) in rows.iter().enumerate() {
                for (j, &v) in row[o * W..][..W].iter().enumerate() {
                    let better = v > best;
                    best = if better { v } else { best };
                    at = if better { i * W + j } else { at }; // a constant: cheap to select
                }
            }
            (*m, *a) = (best, (top + at / W * g.w + o * W + at % W) as u32);
        }
    }
}

/// `max_plane` for 2×2 windows, the common case, as a tree of selects: each window's two
/// rows in parallel, then the rows against each other (later row wins only if larger).
fn max_plane_2(g: &Geom, plane: &[f32], out: &mut [f32], arg: &mut [u32]) {
    for (oh, (orow, arow)) in out
        .chunks_exact_mut(g.ow)
        .zip(arg.chunks_exact_mut(g.ow))
        .enumerate()
    {
        let top = 2 * oh * g.w;
        let (r0, r1) = (&plane[top..][..2 * g.ow], &plane[top + g.w..][..2 * g.ow]);
        let windows = r0.chunks_exact(2).zip(r1.chunks_exact(2));
        // Indices in u32, as stored: 64-bit lanes would halve the vector width.
        let (top, w) = (top as u32, g.w as u32);
        for (o, ((m, a), (p, q))) in orow
            .iter_mut()
            .zip(arow.iter_mut())
            .zip(windows)
            .enumerate()
        {
            let (m0, i0) = if p[1] > p[0] { (p[1], 1) } else { (p[0], 0) };
            let (m1, i1) = if q[1] > q[0] {
                (q[1], w + 1)
            } else {
                (q[0], w)
            };
            let (best, at) = if m1 > m0 { (m1, i1) } else { (m0, i0) };
            (*m, *a) = (best, top + 2 * o as u32 + at);
        }
    }
}

/// `max_plane` for the layer's window (1 to 4).
fn max_plane_dyn(g: &Geom, plane: &[f32], out: &mut [f32], arg: &mut [u32]) {
    match g.win {
        1 => max_plane::<1>(g, plane, out, arg),
        2 => max_plane_2(g, plane, out, arg),
        3 => max_plane::<3>(g, plane, out, arg),
        4 => max_plane::<4>(g, plane, out, arg),
        w => unreachable!("pool window {w} is outside 1..=4"),
    }
}

/// Average pooling: each window's mean; its gradient is shared equally by the window.
pub struct AvgPool2d {
    name: String,
    window: usize,
    in_dim: (usize, usize, usize, usize),
}

impl AvgPool2d {
    pub fn new(name: impl Into<String>, window: usize) -> AvgPool2d {
        assert!(window >= 1, "pool window must be at least 1");
        AvgPool2d {
            name: name.into(),
            window,
            in_dim: (0, 0, 0, 0),
        }
    }
}

impl Layer for AvgPool2d {
    fn name(&self) -> &str {
        &self.name
    }

    fn forward_reusing(&mut self, x: &Tensor, spare: Tensor) -> Tensor {
        let (n, c, _, _) = x.dim();
        let g = Geom::new(&self.name, x.dim(), self.window);
        self.in_dim = x.dim();
        let x = x.as_standard_layout();
        let mut y = reuse(spare, (n, c, g.oh, g.ow)); // (N,C,H,W) → (N,C,⌊H/w⌋,⌊W/w⌋)
        let pc = planes_per_chunk(x.dim());
        let scale = 1.0 / (g.win * g.win) as f32;
        x.as_slice()
            .expect("standard layout")
            .par_chunks(pc * g.in_plane())
            .zip(
                y.as_slice_mut()
                    .expect("fresh")
                    .par_chunks_mut(pc * g.out_plane()),
            )
            .for_each(|(xc, yc)| {
                yc.fill(0.0); // the windows' rows add into it
                for (plane, out) in xc
                    .chunks_exact(g.in_plane())
                    .zip(yc.chunks_exact_mut(g.out_plane()))
                {
                    // Row by row: each input row adds its part of every window in the output row.
                    for (oh, orow) in out.chunks_exact_mut(g.ow).enumerate() {
                        for i in 0..g.win {
                            let row = &plane[(oh * g.win + i) * g.w..][..g.ow * g.win];
                            for (v, win) in orow.iter_mut().zip(row.chunks_exact(g.win)) {
                                *v += win.iter().sum::<f32>() * scale;
                            }
                        }
                    }
                }
            });
        y
    }

    fn backward_reusing(&mut self, dy: &Tensor, spare: Tensor) -> Tensor {
        let g = Geom::for_backward(&self.name, self.in_dim, self.window, dy.dim());
        let dy = dy.as_standard_layout();
        let mut dx = reuse(spare, self.in_dim); // (N,C,⌊H/w⌋,⌊W/w⌋) → (N,C,H,W)
        let pc = planes_per_chunk(self.in_dim);
        let scale = 1.0 / (g.win * g.win) as f32;
        dx.as_slice_mut()
            .expect("fresh")
            .par_chunks_mut(pc * g.in_plane())
            .zip(
                dy.as_slice()
                    .expect("standard layout")
                    .par_chunks(pc * g.out_plane()),
            )
            .for_each(|(dxc, dyc)| {
                dxc.fill(0.0); // the rows and columns no window reaches get no gradient
                for (plane, d) in dxc
                    .chunks_exact_mut(g.in_plane())
                    .zip(dyc.chunks_exact(g.out_plane()))
                {
                    for (oh, drow) in d.chunks_exact(g.ow).enumerate() {
                        for i in 0..g.win {
                            let row = &mut plane[(oh * g.win + i) * g.w..][..g.ow * g.win];
                            for (win, &v) in row.chunks_exact_mut(g.win).zip(drow) {
                                win.fill(v * scale);
                            }
                        }
                    }
                }
            });
        dx
    }
}
