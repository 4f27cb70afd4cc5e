//! Reclassifying slow tests: moving modules between tier directories, recording exceptions in
//! budget.toml, and writing the ADRs that explain them.

pub mod adr;
pub mod decision;
pub mod exception;
pub mod moves;
