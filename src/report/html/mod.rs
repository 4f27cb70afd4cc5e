//! `--format html`: one self-contained page (inline SVG charts and CSS, no script, nothing
//! fetched at view time) for a test verdict, a bench verdict or the trends.

mod bench_page;
pub mod charts;
mod page;
mod tests_page;
mod trend_page;

pub use bench_page::render as bench;
pub use page::{Page, escape};
pub use tests_page::render;
pub use trend_page::render as trend;
