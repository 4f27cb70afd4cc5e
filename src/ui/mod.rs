//! The only module that prints: cargo-style status lines, warnings and errors on stderr, and
//! the report sink on stdout. Colour is decided once from `--color` and the terminal. What
//! it prints for a person has every control character and bidi override of a name escaped
//! ([`crate::text::shown_lines`]): a name in a message cannot drive the terminal.

#![allow(clippy::print_stderr)]

use std::io::{self, Write};

pub mod progress;
pub mod prompt;

use crate::text::shown_lines as safe;
use anstream::{AutoStream, ColorChoice};
use anstyle::{AnsiColor, Style};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    #[default]
    Auto,
    Always,
    Never,
}

impl Color {
    fn choice(self) -> ColorChoice {
        match self {
            Color::Auto => ColorChoice::Auto,
            Color::Always => ColorChoice::Always,
            Color::Never => ColorChoice::Never,
        }
    }

    /// The value for nextest's own `--color`.
    pub fn as_str(self) -> &'static str {
        match self {
            Color::Auto => "auto",
            Color::Always => "always",
            Color::Never => "never",
        }
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Ui {
    pub color: Color,
    /// -1 quiet, 0 normal, 1+ verbose.
    pub verbosity: i8,
}

const VERB: Style = AnsiColor::Green.on_default().bold();
const WARN: Style = AnsiColor::Yellow.on_default().bold();
const ERR: Style = AnsiColor::Red.on_default().bold();

impl Ui {
    fn stderr(&self) -> AutoStream<io::Stderr> {
        AutoStream::new(io::stderr(), self.color.choice())
    }

    /// `   Running cargo nextest run …` (shown with -v; the commands are long).
    pub fn status(&self, verb: &str, message: &str) {
        if self.verbosity >= 1 {
            let _ = writeln!(self.stderr(), "{VERB}{verb:>12}{VERB:#} {}", safe(message));
        }
    }

    /// A status line shown unless quiet.
    pub fn note(&self, verb: &str, message: &str) {
        if self.verbosity >= 0 {
            let _ = writeln!(self.stderr(), "{VERB}{verb:>12}{VERB:#} {}", safe(message));
        }
    }

    pub fn warn(&self, message: &str) {
        let _ = writeln!(self.stderr(), "{WARN}warning{WARN:#}: {}", safe(message));
    }

    /// Prints an error and its causes, one per line.
    pub fn error(&self, error: &dyn std::error::Error) {
        let mut out = self.stderr();
        let _ = writeln!(out, "{ERR}error{ERR:#}: {}", safe(&error.to_string()));
        let mut source = error.source();
        while let Some(cause) = source {
            let _ = writeln!(out, "  caused by: {}", safe(&cause.to_string()));
            source = cause.source();
        }
    }

    /// Stderr, styled when colour applies: for output that is status, not data.
    pub fn stderr_stream(&self) -> AutoStream<io::Stderr> {
        self.stderr()
    }

    /// The width of the terminal stdout is, when it is one (`COLUMNS` wins, as for clap).
    pub fn stdout_width(&self) -> Option<usize> {
        use std::io::IsTerminal;
        if !io::stdout().is_terminal() {
            return None;
        }
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
    }

    /// The report sink: stdout, ANSI stripped unless colour applies.
    pub fn stdout(&self) -> AutoStream<io::Stdout> {
        AutoStream::new(io::stdout(), self.color.choice())
    }

    /// Stdout for data that carries no styling (JSON, Markdown, workflow commands).
    pub fn stdout_plain(&self) -> io::Stdout {
        io::stdout()
    }
}
