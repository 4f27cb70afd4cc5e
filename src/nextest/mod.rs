//! The nextest adapter: command lines as data, the list JSON, the injected tool config and the
//! JUnit results, the wrapper's per-attempt records. It knows nothing about budgets.

pub mod attempts;
pub mod command;
pub mod filterset;
pub mod junit;
pub mod list;
mod selection;
pub mod tool_config;

pub use command::{Exit, Invocation, NextestError};
pub use list::{Inventory, ListedTest};
pub use selection::{Build, Selection, Tuning};
