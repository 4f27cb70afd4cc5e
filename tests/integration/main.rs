//! End-to-end tests: the real binary, real cargo-nextest, small fixture workspaces. These take
//! seconds each, so they live in the integration tier of this project's own budgets.

mod alerts;
mod alone;
mod baseline;
mod bench;
mod bench_input;
mod capability;
mod cli;
mod confirm;
mod count;
mod demo;
mod errors;
mod fixtures;
mod from_junit;
mod history;
mod hook;
mod hook_install;
mod hostile;
mod html;
mod init;
mod memory;
mod openmetrics;
mod property;
mod reclassify;
mod setaside;
mod setaside_restore;
mod support;
