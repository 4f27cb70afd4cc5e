//! cargo-budget: performance budgets for a Rust workspace's tests, on top of cargo-nextest.

pub mod config;
pub mod model;
pub mod interrupt;
pub mod nextest;
pub mod sources;
pub mod workspace;
pub mod policy;
