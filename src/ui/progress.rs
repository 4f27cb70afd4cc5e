//! The progress of a benchmark run, which takes minutes: on a terminal an indicatif bar that
//! names the target and the benchmark being measured and counts them; elsewhere (CI, a pipe)
//! plain status lines. criterion's own lines pass through either way, except its phase lines
//! (`Benchmarking <id>: Warming up …`), which the bar replaces.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Ui;

pub struct BenchProgress {
    ui: Ui,
    bar: Option<ProgressBar>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    target: String,
    /// Benchmarks started in this target.
    started: usize,
    /// How many the target has, when known (from the baseline or an earlier run).
    expected: Option<usize>,
}

impl Ui {
    /// A bar when stderr is a terminal, not in CI and not quiet; plain lines otherwise.
    pub fn bench_progress(&self, ci: bool) -> BenchProgress {
        let bar = (!ci && self.verbosity >= 0 && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(style(false));
            bar.set_message("building the benches");
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        BenchProgress {
            ui: *self,
            bar,
            state: Mutex::new(State::default()),
        }
    }
}

impl BenchProgress {
    /// Target `k` of `n` starts; it has `expected` benchmarks when that is known.
    pub fn target(&self, label: &str, k: usize, n: usize, expected: Option<usize>, command: &str) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        *s = State {
            target: format!("{} (target {k} of {n})", crate::text::shown(label)),
            started: 0,
            expected,
        };
        match &self.bar {
            Some(bar) => {
                bar.println(format!("{:>12} {}", "Benchmarking", s.target));
                bar.set_style(style(expected.is_some()));
                bar.set_length(expected.unwrap_or(0) as u64);
                bar.set_position(0);
                bar.set_message(s.target.clone());
            }
            None => {
                let of = expected.map(|e| format!(", {}", crate::text::count(e, "benchmark")));
                self.ui.note(
                    "Benchmarking",
                    &format!("{}{}", s.target, of.unwrap_or_default()),
                );
                self.ui.status("Running", command);
            }
        }
    }

    /// criterion started measuring `id`.
    pub fn benchmark(&self, id: &str) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.started += 1;
        let id = crate::text::shown(id);
        let count = match s.expected {
            Some(e) if s.started <= e => format!("{} of {e}", s.started),
            _ => s.started.to_string(),
        };
        match &self.bar {
            Some(bar) => {
                bar.set_position(s.started.saturating_sub(1) as u64);
                bar.set_message(format!("{id} · {}", s.target));
            }
            None => self
                .ui
                .note("Measuring", &format!("{id} (benchmark {count})")),
        }
    }

    /// A line of the benchmark binary's (or cargo's) output; `phase` for criterion's progress
    /// lines, which the bar shows instead (unless verbose). Passed through as it is, colours
    /// and all, as cargo passes a build script's output.
    pub fn output(&self, line: &str, phase: bool) {
        match &self.bar {
            Some(bar) => {
                if !phase || self.ui.verbosity > 0 {
                    bar.println(line);
                }
            }
            None => {
                let _ = writeln!(std::io::stderr(), "{line}");
            }
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn style(counted: bool) -> ProgressStyle {
    let template = match counted {
        true => "{spinner} [{pos}/{len}] {wide_msg} {elapsed}",
        false => "{spinner} [{pos}] {wide_msg} {elapsed}",
    };
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}
