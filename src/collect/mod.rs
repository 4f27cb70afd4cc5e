//! Evidence in: every way results arrive — the suite run with nextest, its tests re-run alone,
//! nextest JUnit files, a recorded baseline, criterion's benchmarks — collected into the shapes
//! policy judges, with the measurement contract probed here and nowhere else. The nextest
//! adapter below knows no budget.toml: the budgets reach it as overrides built here.

mod ask;
mod bench_counts;
pub mod benches;
pub mod classify;
pub mod contract;
pub mod counts;
pub mod impact;
pub mod junit;
mod nextest_run;
pub mod recorded;
pub mod reruns;
mod roots;
mod scratch;
pub mod suite;

pub use ask::Ask;
pub use bench_counts::CountSelection;
pub use nextest_run::LAST_JUNIT;
pub use roots::annotation_roots;
pub use suite::{Ran, suite};
