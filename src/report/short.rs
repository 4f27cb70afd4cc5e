//! The pre-commit verdict: a few lines — the findings that matter, how to reproduce, how to
//! bypass once.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::{Meta, headline};
use crate::policy::{Severity, Status, Verdict};

const RED: Style = AnsiColor::Red.on_default().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
const GREEN: Style = AnsiColor::Green.on_default().bold();

pub fn render(verdict: &Verdict, meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    let tests: usize = verdict.tiers.iter().map(|t| t.tests).sum();
    let style = if verdict.status == Status::Pass {
        GREEN
    } else {
        RED
    };
    writeln!(
        w,
        "{style}cargo-budget{style:#}: {} judged in the {} context — {}",
        crate::text::count(tests, "affected test"),
        verdict.context,
        headline(verdict)
    )?;
    for f in verdict
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
    {
        let s = if f.severity == Severity::Error {
            RED
        } else {
            YELLOW
        };
        let subject = f
            .test
            .as_ref()
            .map_or("suite".to_string(), crate::text::shown);
        writeln!(
            w,
            "  {s}{}{s:#} {} {subject}: {}",
            f.severity.as_str(),
            f.kind().as_str(),
            super::sentence(f, verdict.comparison.as_ref())
        )?;
    }
    if verdict.status != Status::Pass {
        if let Some(cmd) = &meta.reproduce {
            writeln!(w, "  reproduce: {cmd}")?;
        }
        writeln!(
            w,
            "  commit anyway (once): git commit --no-verify, or CARGO_BUDGET_SKIP=1 git commit"
        )?;
    }
    Ok(())
}
