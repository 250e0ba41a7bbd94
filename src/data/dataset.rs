//! MNIST in memory: images stay `u8` (60,000 × 784 bytes) and become f32 in [0, 1] only
//! per batch. The four files are built into the binary, or read from any folder in the
//! layout of the `mnist` crate (each file raw or `.gz`).

use super::files::{self, OpenError};
use super::idx::{self, IdxError};
use crate::nn::Tensor;
use ndarray::Array2;
use rand::Rng;
use rand::seq::SliceRandom;
use std::io::Read;
use std::path::Path;

pub const PIXELS: usize = idx::IMAGE_SIDE * idx::IMAGE_SIDE;

/// File names as the `mnist` crate expects them.
pub const TRAIN_IMAGES: &str = "train-images-idx3-ubyte";
pub const TRAIN_LABELS: &str = "train-labels-idx1-ubyte";
pub const TEST_IMAGES: &str = "t10k-images-idx3-ubyte";
pub const TEST_LABELS: &str = "t10k-labels-idx1-ubyte";

static BUILTIN: [(&str, &[u8]); 4] = [
    (
        TRAIN_IMAGES,
        include_bytes!("../../assets/mnist/train-images-idx3-ubyte.gz"),
    ),
    (
        TRAIN_LABELS,
        include_bytes!("../../assets/mnist/train-labels-idx1-ubyte.gz"),
    ),
    (
        TEST_IMAGES,
        include_bytes!("../../assets/mnist/t10k-images-idx3-ubyte.gz"),
    ),
    (
        TEST_LABELS,
        include_bytes!("../../assets/mnist/t10k-labels-idx1-ubyte.gz"),
    ),
];

/// Labelled 28×28 images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    pixels: Vec<u8>,
    labels: Vec<u8>,
}

impl Dataset {
    /// `pixels.len()` must be `labels.len() · 784`.
    pub fn new(pixels: Vec<u8>, labels: Vec<u8>) -> Dataset {
        assert_eq!(
            pixels.len(),
            labels.len() * PIXELS,
            "pixels and labels disagree on the count"
        );
        Dataset { pixels, labels }
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    pub fn label(&self, i: usize) -> u8 {
        self.labels[i]
    }

    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// Row-major 28×28 bytes of image `i`.
    pub fn image_bytes(&self, i: usize) -> &[u8] {
        &self.pixels[i * PIXELS..(i + 1) * PIXELS]
    }

    /// Image `i` as `(28, 28)` in [0, 1].
    pub fn image(&self, i: usize) -> Array2<f32> {
        let side = idx::IMAGE_SIDE;
        Array2::from_shape_fn((side, side), |(r, c)| {
            self.pixels[i * PIXELS + r * side + c] as f32 / 255.0
        })
    }

    /// Fill `x` with the images at `indices` as `(N, 1, 28, 28)` in [0, 1] and `labels` with
    /// their labels. `x` is reused when it already has the right shape.
    pub fn fill_batch(&self, indices: &[usize], x: &mut Tensor, labels: &mut Vec<u8>) {
        let n = indices.len();
        if x.dim() != (n, 1, idx::IMAGE_SIDE, idx::IMAGE_SIDE) {
            *x = Tensor::zeros((n, 1, idx::IMAGE_SIDE, idx::IMAGE_SIDE));
        }
        let out = x.as_slice_mut().expect("a fresh tensor is contiguous");
        for (dst, &i) in out.chunks_exact_mut(PIXELS).zip(indices) {
            for (d, &p) in dst.iter_mut().zip(self.image_bytes(i)) {
                *d = p as f32 * (1.0 / 255.0);
            }
        }
        labels.clear();
        labels.extend(indices.iter().map(|&i| self.labels[i]));
    }

    /// A batch of consecutive images `start..end` (for evaluation).
    pub fn range_batch(&self, start: usize, end: usize, x: &mut Tensor, labels: &mut Vec<u8>) {
        let indices: Vec<usize> = (start..end).collect();
        self.fill_batch(&indices, x, labels);
    }

    /// Split off the last `n` images as a second set.
    pub fn split_tail(mut self, n: usize) -> (Dataset, Dataset) {
        let keep = self.len().saturating_sub(n);
        let tail_pixels = self.pixels.split_off(keep * PIXELS);
        let tail_labels = self.labels.split_off(keep);
        (
            self,
            Dataset {
                pixels: tail_pixels,
                labels: tail_labels,
            },
        )
    }
}

/// A shuffled order of `0..n` from the given RNG (one epoch's order).
pub fn shuffled_indices(n: usize, rng: &mut impl Rng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    order
}

/// Training, validation and test sets, and where they came from.
#[derive(Debug, Clone)]
pub struct Mnist {
    /// For the status line, e.g. "MNIST (built in)".
    pub name: String,
    pub train: Dataset,
    /// The last `validation` training images, held out.
    pub validation: Dataset,
    /// Used only for the test accuracy and the probe digits.
    pub test: Dataset,
}

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error(transparent)]
    Idx(#[from] IdxError),
    #[error("--validation {requested} leaves no training images: the training set has {available}")]
    ValidationTooLarge { requested: usize, available: usize },
}

/// A named input: `name` is how errors show it.
type Source<'a> = (String, Box<dyn Read + 'a>);

fn read_pair(images: Source<'_>, labels: Source<'_>) -> Result<Dataset, IdxError> {
    let imgs = idx::read_images(&images.0, images.1)?;
    let labs = idx::read_labels(&labels.0, labels.1)?;
    if imgs.count != labs.len() {
        return Err(IdxError::CountMismatch {
            images: images.0,
            image_count: imgs.count,
            labels: labels.0,
            label_count: labs.len(),
        });
    }
    Ok(Dataset::new(imgs.pixels, labs))
}

/// Open `NAME` in `dir`, or `NAME.gz` when there is no `NAME`: only a regular file (see
/// `files::open_regular`).
fn open_in(dir: &Path, name: &str) -> Result<Source<'static>, IdxError> {
    let raw = dir.join(name);
    let path = if files::exists(&raw) {
        raw
    } else {
        dir.join(format!("{name}.gz"))
    };
    let shown = path.display().to_string();
    match files::open_regular(&path) {
        Ok(file) => Ok((shown, Box::new(file))),
        Err(OpenError::NotFound) => Err(IdxError::Missing {
            file: name.into(),
            path: format!("{} or {name}.gz", dir.join(name).display()),
        }),
        Err(OpenError::NotAFile(what)) => Err(IdxError::NotAFile { path: shown, what }),
        Err(OpenError::Io(error)) => Err(IdxError::Io { file: shown, error }),
    }
}

impl Mnist {
    /// Read the four sets (train images, train labels, test images, test labels) in that
    /// order; each is opened only when the previous ones were good.
    fn from_sources<'a>(
        name: String,
        mut open: impl FnMut(usize) -> Result<Source<'a>, IdxError>,
        validation: usize,
    ) -> Result<Mnist, DataError> {
        let train = read_pair(open(0)?, open(1)?)?;
        let test = read_pair(open(2)?, open(3)?)?;
        if validation >= train.len() {
            return Err(DataError::ValidationTooLarge {
                requested: validation,
                available: train.len(),
            });
        }
        let (train, validation) = train.split_tail(validation);
        Ok(Mnist {
            name,
            train,
            validation,
            test,
        })
    }

    /// The MNIST files built into the binary; `validation` images are held out of training.
    pub fn builtin(validation: usize) -> Result<Mnist, DataError> {
        let open = |i: usize| -> Result<Source<'static>, IdxError> {
            let (name, bytes) = BUILTIN[i];
            Ok((format!("{name}.gz (built in)"), Box::new(bytes)))
        };
        Self::from_sources("MNIST (built in)".into(), open, validation)
    }

    /// Read the four files from `dir`, each as `NAME` or `NAME.gz`.
    pub fn from_dir(dir: &Path, validation: usize) -> Result<Mnist, DataError> {
        let names = [TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS];
        let open = |i: usize| open_in(dir, names[i]);
        Self::from_sources(format!("{}", dir.display()), open, validation)
    }
}
