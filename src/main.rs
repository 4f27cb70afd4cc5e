//! `cargo-budget`: parse, run, exit. Everything else lives in the library.

fn main() {
    std::process::exit(cargo_budget::run(std::env::args_os()));
}
