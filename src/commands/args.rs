//! The options that choose, build and run the tests, as `cargo nextest run` users type them,
//! turned into the nextest adapter's `Selection`.

use crate::nextest::{Build, Selection, Tuning};
use crate::settings::Settings;

/// Which tests to run, how cargo builds them and how nextest runs them: passed through.
#[derive(Debug, Default, clap::Args)]
pub struct SelectionArgs {
    /// nextest filterset selecting the tests to run (repeatable)
    #[arg(
        long,
        short = 'E',
        value_name = "EXPR",
        help_heading = "Test selection"
    )]
    pub filterset: Vec<String>,
    /// nextest partition, e.g. count:1/2
    #[arg(long, value_name = "SPEC", help_heading = "Test selection")]
    pub partition: Option<String>,
    /// Package to test (repeatable)
    #[arg(
        long,
        short = 'p',
        value_name = "SPEC",
        help_heading = "Test selection"
    )]
    pub package: Vec<String>,
    /// Test every workspace member
    #[arg(long, help_heading = "Test selection")]
    pub workspace: bool,
    /// Leave this package out (with --workspace; repeatable)
    #[arg(long, value_name = "SPEC", help_heading = "Test selection")]
    pub exclude: Vec<String>,
    /// Test name filters and libtest-style arguments (--exact, --skip PATTERN, --ignored,
    /// --nocapture; --test-threads N becomes -j N), passed to nextest after `--`
    #[arg(
        last = true,
        value_name = "FILTERS_AND_ARGS",
        allow_hyphen_values = true
    )]
    pub filters: Vec<String>,

    /// Also count, under Valgrind, the instructions of the tests this filterset selects (repeatable)
    #[arg(long, value_name = "EXPR", help_heading = "Test selection")]
    pub instructions: Vec<String>,

    /// Features to build with (repeatable, space- or comma-separated)
    #[arg(
        long,
        short = 'F',
        value_name = "FEATURES",
        help_heading = "Build (passed to cargo)"
    )]
    pub features: Vec<String>,
    /// Build with every feature
    #[arg(long, help_heading = "Build (passed to cargo)")]
    pub all_features: bool,
    /// Build without the default features
    #[arg(long, help_heading = "Build (passed to cargo)")]
    pub no_default_features: bool,
    /// Build the tests in release mode
    #[arg(
        long,
        short = 'r',
        help_heading = "Build (passed to cargo)",
        conflicts_with = "cargo_profile"
    )]
    pub release: bool,
    /// Build the tests with this cargo profile
    #[arg(long, value_name = "NAME", help_heading = "Build (passed to cargo)")]
    pub cargo_profile: Option<String>,
    /// Build for this target triple
    #[arg(long, value_name = "TRIPLE", help_heading = "Build (passed to cargo)")]
    pub target: Option<String>,
    /// Require Cargo.lock to be up to date
    #[arg(long, help_heading = "Build (passed to cargo)")]
    pub locked: bool,
    /// Run without accessing the network
    #[arg(long, help_heading = "Build (passed to cargo)")]
    pub offline: bool,
    /// Require Cargo.lock and the cache to be up to date
    #[arg(long, help_heading = "Build (passed to cargo)")]
    pub frozen: bool,

    /// Your nextest profile: its settings apply, cargo-budget's timeouts and JUnit are layered
    /// under it [default: cargo-budget's own]
    #[arg(
        long,
        short = 'P',
        env = "NEXTEST_PROFILE",
        hide_env_values = true,
        value_name = "PROFILE",
        help_heading = "Run (passed to nextest)"
    )]
    pub profile: Option<String>,
    /// Number of tests to run at once (nextest's -j)
    #[arg(
        long,
        short = 'j',
        value_name = "N",
        help_heading = "Run (passed to nextest)"
    )]
    pub test_threads: Option<String>,
    /// Retry failing tests N times
    #[arg(long, value_name = "N", help_heading = "Run (passed to nextest)")]
    pub retries: Option<u32>,
    /// Run tests serially and show their output (timings then include printing)
    #[arg(long, help_heading = "Run (passed to nextest)")]
    pub no_capture: bool,
}

impl SelectionArgs {
    /// The `--instructions` filtersets as one (`None` when there is none).
    pub fn count_also(&self) -> Option<String> {
        (!self.instructions.is_empty()).then(|| {
            self.instructions
                .iter()
                .map(|e| format!("({e})"))
                .collect::<Vec<_>>()
                .join(" | ")
        })
    }

    pub fn selection(&self, settings: &Settings) -> Selection {
        let (names, test_threads) = split_test_threads(&self.filters);
        Selection {
            manifest_path: settings.manifest_path.clone(),
            packages: self.package.clone(),
            workspace: self.workspace,
            exprs: self.filterset.clone(),
            partition: self.partition.clone(),
            names,
            build: Build {
                exclude: self.exclude.clone(),
                features: self.features.clone(),
                all_features: self.all_features,
                no_default_features: self.no_default_features,
                release: self.release,
                cargo_profile: self.cargo_profile.clone(),
                target: self.target.clone(),
                locked: self.locked,
                offline: self.offline,
                frozen: self.frozen,
            },
            tuning: Tuning {
                // Every profile inherits `default`, cargo-budget's own too: asking for `default`
                // is asking for what cargo-budget does anyway.
                profile: self
                    .profile
                    .clone()
                    .filter(|p| !p.is_empty() && p != "default"),
                test_threads: self.test_threads.clone().or(test_threads),
                retries: self.retries,
                no_capture: self.no_capture,
            },
        }
    }

    /// No test is left out: `--workspace` selects every member, so it selects nothing away.
    pub fn is_empty(&self) -> bool {
        self.filterset.is_empty()
            && self.partition.is_none()
            && self.package.is_empty()
            && self.exclude.is_empty()
            && self.filters.is_empty()
    }
}

/// libtest's `--test-threads N` (or `=N`) after `--`, which `cargo test` users type and nextest
/// rejects there, taken out as nextest's `-j N`; everything else stays for nextest.
fn split_test_threads(args: &[String]) -> (Vec<String>, Option<String>) {
    let mut rest = Vec::new();
    let mut threads = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(n) = a.strip_prefix("--test-threads=") {
            threads = Some(n.to_string());
        } else if a == "--test-threads"
            && let Some(n) = it.next()
        {
            threads = Some(n.clone());
        } else {
            rest.push(a.clone());
        }
    }
    (rest, threads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_threads_after_the_separator_become_nextest_threads() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        for (args, rest, threads) in [
            (s(&["--test-threads", "1"]), s(&[]), Some("1")),
            (
                s(&["foo", "--test-threads=4", "--exact"]),
                s(&["foo", "--exact"]),
                Some("4"),
            ),
            (
                s(&["foo", "--skip", "bar"]),
                s(&["foo", "--skip", "bar"]),
                None,
            ),
            // A dangling flag is left for nextest to reject in its own words.
            (s(&["--test-threads"]), s(&["--test-threads"]), None),
        ] {
            let (r, t) = split_test_threads(&args);
            assert_eq!(r, rest, "{args:?}");
            assert_eq!(t.as_deref(), threads, "{args:?}");
        }
    }
}
