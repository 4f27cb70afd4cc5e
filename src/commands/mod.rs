//! One module per subcommand; the only code that combines the layers and performs I/O.

pub mod adr;
pub mod alerts;
mod args;
pub mod baseline;
pub mod bench;
mod emit;
pub mod history;
pub mod hook_install;
pub mod hook_run;
pub mod init;
mod peaks;
mod prepare;
pub mod reclassify;
mod record;
pub mod report;
pub mod trend;

pub use crate::collect::annotation_roots;
pub use args::SelectionArgs;
pub use emit::{ReportArgs, Written, emit};
pub use prepare::{check_packages, rerun};
