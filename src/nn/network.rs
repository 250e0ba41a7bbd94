//! stub
pub struct Network;
