//! stub
pub struct Sgd;
