//! Max and average pooling over non-overlapping `w×w` windows (stride = window, no padding).
//!
//! # Shapes
//! - input `(N, C, H, W)` → output `(N, C, ⌊H/w⌋, ⌊W/w⌋)`; the last `H mod w` rows and
//!   `W mod w` columns are never read (their gradient is 0).
//!
//! Each `(H, W)` plane is independent, so planes are split across rayon's threads.

use super::{Layer, Tensor, chunk_len};
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
        assert!(h >= win && w >= win, "{name}: a {win}×{win} window does not fit {h}×{w}");
        Geom { win, h, w, oh: h / win, ow: w / win }
    }
    fn in_plane(&self) -> usize {
        self.h * self.w
    }
    fn out_plane(&self) -> usize {
        self.oh * self.ow
    }
    /// Index in the input plane of window `(oh, ow)`'s pixel `(i, j)`.
    fn at(&self, oh: usize, ow: usize, i: usize, j: usize) -> usize {
        (oh * self.win + i) * self.w + ow * self.win + j
    }
}

/// Planes per parallel chunk: one chunk of samples per thread.
fn planes_per_chunk(x: (usize, usize, usize, usize)) -> usize {
    chunk_len(x.0) * x.1
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
        assert!(window >= 1, "pool window must be at least 1");
        MaxPool2d { name: name.into(), window, in_dim: (0, 0, 0, 0), argmax: Vec::new() }
    }
}

impl Layer for MaxPool2d {
    fn name(&self) -> &str {
        &self.name
    }

    fn forward(&mut self, x: &Tensor) -> Tensor {
        let (n, c, _, _) = x.dim();
        let g = Geom::new(&self.name, x.dim(), self.window);
        self.in_dim = x.dim();
        let x = x.as_standard_layout();
        let mut y = Tensor::zeros((n, c, g.oh, g.ow)); // (N,C,H,W) → (N,C,⌊H/w⌋,⌊W/w⌋)
        self.argmax.resize(y.len(), 0);
        let pc = planes_per_chunk(x.dim());
        let xs = x.as_slice().expect("standard layout");
        xs.par_chunks(pc * g.in_plane())
            .zip(y.as_slice_mut().expect("fresh").par_chunks_mut(pc * g.out_plane()))
            .zip(self.argmax.par_chunks_mut(pc * g.out_plane()))
            .for_each(|((xc, yc), ac)| {
                let planes = xc.chunks_exact(g.in_plane());
                let outs = yc.chunks_exact_mut(g.out_plane()).zip(ac.chunks_exact_mut(g.out_plane()));
                for (plane, (out, arg)) in planes.zip(outs) {
                    max_plane(&g, plane, out, arg);
                }
            });
        y
    }

    fn backward(&mut self, dy: &Tensor) -> Tensor {
        let g = Geom::new(&self.name, self.in_dim, self.window);
        let (n, c, _, _) = self.in_dim;
        assert_eq!(dy.dim(), (n, c, g.oh, g.ow), "{}: dy must match the output", self.name);
        let dy = dy.as_standard_layout();
        let mut dx = Tensor::zeros(self.in_dim); // (N,C,⌊H/w⌋,⌊W/w⌋) → (N,C,H,W)
        let pc = planes_per_chunk(self.in_dim);
        dx.as_slice_mut()
            .expect("fresh")
            .par_chunks_mut(pc * g.in_plane())
            .zip(dy.as_slice().expect("standard layout").par_chunks(pc * g.out_plane()))
            .zip(self.argmax.par_chunks(pc * g.out_plane()))
            .for_each(|((dxc, dyc), ac)| {
                for ((plane, d), arg) in dxc.chunks_exact_mut(g.in_plane()).zip(dyc.chunks_exact(g.out_plane())).zip(ac.chunks_exact(g.out_plane())) {
                    // Windows do not overlap: each input pixel gets at most one gradient.
                    d.iter().zip(arg).for_each(|(&v, &a)| plane[a as usize] = v);
                }
            });
        dx
    }
}

/// One plane: each window's maximum and where it is (the first one on ties).
fn max_plane(g: &Geom, plane: &[f32], out: &mut [f32], arg: &mut [u32]) {
    for oh in 0..g.oh {
        for ow in 0..g.ow {
            let mut best = g.at(oh, ow, 0, 0);
            for i in 0..g.win {
                for j in 0..g.win {
                    let at = g.at(oh, ow, i, j);
                    if plane[at] > plane[best] {
                        best = at;
                    }
                }
            }
            out[oh * g.ow + ow] = plane[best];
            arg[oh * g.ow + ow] = best as u32;
        }
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
        AvgPool2d { name: name.into(), window, in_dim: (0, 0, 0, 0) }
    }
}

impl Layer for AvgPool2d {
    fn name(&self) -> &str {
        &self.name
    }

    fn forward(&mut self, x: &Tensor) -> Tensor {
        let (n, c, _, _) = x.dim();
        let g = Geom::new(&self.name, x.dim(), self.window);
        self.in_dim = x.dim();
        let x = x.as_standard_layout();
        let mut y = Tensor::zeros((n, c, g.oh, g.ow)); // (N,C,H,W) → (N,C,⌊H/w⌋,⌊W/w⌋)
        let pc = planes_per_chunk(x.dim());
        let scale = 1.0 / (g.win * g.win) as f32;
        x.as_slice()
            .expect("standard layout")
            .par_chunks(pc * g.in_plane())
            .zip(y.as_slice_mut().expect("fresh").par_chunks_mut(pc * g.out_plane()))
            .for_each(|(xc, yc)| {
                for (plane, out) in xc.chunks_exact(g.in_plane()).zip(yc.chunks_exact_mut(g.out_plane())) {
                    for (o, v) in out.iter_mut().enumerate() {
                        let (oh, ow) = (o / g.ow, o % g.ow);
                        let sum: f32 = (0..g.win).flat_map(|i| (0..g.win).map(move |j| (i, j))).map(|(i, j)| plane[g.at(oh, ow, i, j)]).sum();
                        *v = sum * scale;
                    }
                }
            });
        y
    }

    fn backward(&mut self, dy: &Tensor) -> Tensor {
        let g = Geom::new(&self.name, self.in_dim, self.window);
        let (n, c, _, _) = self.in_dim;
        assert_eq!(dy.dim(), (n, c, g.oh, g.ow), "{}: dy must match the output", self.name);
        let dy = dy.as_standard_layout();
        let mut dx = Tensor::zeros(self.in_dim); // (N,C,⌊H/w⌋,⌊W/w⌋) → (N,C,H,W)
        let pc = planes_per_chunk(self.in_dim);
        let scale = 1.0 / (g.win * g.win) as f32;
        dx.as_slice_mut()
            .expect("fresh")
            .par_chunks_mut(pc * g.in_plane())
            .zip(dy.as_slice().expect("standard layout").par_chunks(pc * g.out_plane()))
            .for_each(|(dxc, dyc)| {
                for (plane, d) in dxc.chunks_exact_mut(g.in_plane()).zip(dyc.chunks_exact(g.out_plane())) {
                    for (o, &v) in d.iter().enumerate() {
                        let (oh, ow) = (o / g.ow, o % g.ow);
                        for i in 0..g.win {
                            plane[g.at(oh, ow, i, 0)..][..g.win].fill(v * scale);
                        }
                    }
                }
            });
        dx
    }
}
