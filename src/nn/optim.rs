//! Stochastic gradient descent with momentum and weight decay, PyTorch's convention:
//! `v ← μ·v + (g + λ·w)`, then `w ← w − η·v`.

use super::Param;
use ndarray::{ArrayD, Zip};

#[derive(Debug, Clone)]
pub struct Sgd {
    /// η, may change between steps (the schedule).
    pub lr: f32,
    /// μ.
    pub momentum: f32,
    /// λ (L2 penalty, biases included as in PyTorch).
    pub weight_decay: f32,
    /// One velocity per parameter tensor, in the order `params` gives them.
    velocity: Vec<ArrayD<f32>>,
}

impl Sgd {
    pub fn new(lr: f32, momentum: f32, weight_decay: f32) -> Sgd {
        Sgd {
            lr,
            momentum,
            weight_decay,
            velocity: Vec::new(),
        }
    }

    /// Update every parameter from its gradient. The velocities start at zero, and again
    /// whenever the number or the shapes of the parameters change (a rebuilt network).
    pub fn step(&mut self, mut params: Vec<Param<'_>>) {
        let fits = self.velocity.len() == params.len()
            && self
                .velocity
                .iter()
                .zip(&params)
                .all(|(v, p)| v.shape() == p.value.shape());
        if !fits {
            self.velocity = params
                .iter()
                .map(|p| ArrayD::zeros(p.value.raw_dim()))
                .collect();
        }
        let (lr, mu, wd) = (self.lr, self.momentum, self.weight_decay);
        for (p, v) in params.iter_mut().zip(&mut self.velocity) {
            assert_eq!(
                p.value.shape(),
                p.grad.shape(),
                "a parameter and its gradient differ in shape"
            );
            let update = |w: &mut f32, g: f32, v: &mut f32| {
                *v = mu * *v + g + wd * *w;
                *w -= lr * *v;
            };
            // Plain slices when all three are in standard layout (always, from this crate's
            // layers): the general `Zip` over dynamic dimensions is several times slower.
            match (p.value.as_slice_mut(), p.grad.as_slice(), v.as_slice_mut()) {
                (Some(w), Some(g), Some(v)) => {
                    w.iter_mut()
                        .zip(g)
                        .zip(v)
                        .for_each(|((w, &g), v)| update(w, g, v));
                }
                _ => Zip::from(&mut p.value)
                    .and(&p.grad)
                    .and(v)
                    .for_each(|w, &g, v| update(w, g, v)),
            }
        }
    }

    /// The momentum of each parameter tensor, in `Network::params` order; empty before the
    /// first step (for checkpoints).
    pub fn velocity(&self) -> &[ArrayD<f32>] {
        &self.velocity
    }

    /// Restore momentum saved by `velocity` (a checkpoint). Velocities that do not fit the
    /// parameters at the next step are dropped there, as after a rebuild.
    pub fn set_velocity(&mut self, velocity: Vec<ArrayD<f32>>) {
        self.velocity = velocity;
    }

    /// Forget the momentum (after a reset or a rebuild).
    pub fn reset_velocity(&mut self) {
        self.velocity.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array1, array};

    fn step(opt: &mut Sgd, w: &mut Array1<f32>, g: &mut Array1<f32>) {
        opt.step(vec![Param {
            value: w.view_mut().into_dyn(),
            grad: g.view_mut().into_dyn(),
        }]);
    }

    #[test]
    fn momentum_and_decay_follow_pytorch() {
        let mut opt = Sgd::new(0.1, 0.9, 0.5);
        let (mut w, mut g) = (array![1.0f32], array![2.0f32]);
        step(&mut opt, &mut w, &mut g); // v = 2 + 0.5·1 = 2.5; w = 1 − 0.25
        assert!((w[0] - 0.75).abs() < 1e-6);
        step(&mut opt, &mut w, &mut g); // v = 0.9·2.5 + 2 + 0.375 = 4.625; w = 0.75 − 0.4625
        assert!((w[0] - 0.2875).abs() < 1e-6, "{}", w[0]);
        opt.reset_velocity();
        step(&mut opt, &mut w, &mut g); // v = 2 + 0.14375
        assert!((w[0] - (0.2875 - 0.1 * 2.14375)).abs() < 1e-6);
    }

    #[test]
    fn velocity_restarts_when_shapes_change() {
        let mut opt = Sgd::new(1.0, 0.9, 0.0);
        let (mut w, mut g) = (array![0.0f32], array![1.0f32]);
        step(&mut opt, &mut w, &mut g);
        let (mut w2, mut g2) = (array![0.0f32, 0.0], array![1.0f32, 1.0]);
        step(&mut opt, &mut w2, &mut g2);
        assert_eq!(w2, array![-1.0, -1.0]);
    }
}
