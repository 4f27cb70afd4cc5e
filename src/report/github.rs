//! `--format github`: workflow commands (`::error file=…,line=…,title=…::message`) that GitHub
//! Actions turns into annotations on the test's source line. File paths are relative to the
//! checkout (`Meta::roots`), not the cargo workspace. Values are escaped as the runner expects
//! (`%`, CR, LF everywhere; `:` and `,` in properties too).

use std::io::{self, Write};

use super::{Meta, headline};
use crate::policy::{Severity, Verdict};

pub(crate) fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub(crate) fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The workflow command that annotates at `severity`.
pub(crate) fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

pub fn render(verdict: &Verdict, meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    for f in &verdict.findings {
        let command = command(f.severity);
        let mut props = Vec::new();
        if let Some((file, line)) = &f.location {
            let file = match &meta.roots {
                Some(roots) => roots.from_repository(file),
                None => file.clone(),
            };
            props.push(format!(
                "file={}",
                escape_property(&file.display().to_string())
            ));
            props.push(format!("line={line}"));
        }
        let subject = f
            .test
            .as_ref()
            .map_or("suite".to_string(), |t| t.to_string());
        props.push(format!(
            "title={}",
            escape_property(&format!("{}: {subject}", f.kind().as_str()))
        ));
        let mut message = format!(
            "{subject} {}",
            super::sentence(f, verdict.comparison.as_ref())
        );
        if let (Some(tier), Some(rule)) = (&f.tier, &f.rule)
            && f.kind().is_test_violation()
        {
            message.push_str(&format!(" (placed in {tier} by {rule})"));
        }
        writeln!(
            w,
            "::{command} {}::{}",
            props.join(","),
            escape_data(&message)
        )?;
    }
    let level = match verdict.status {
        crate::policy::Status::Pass => "notice",
        _ => "error",
    };
    writeln!(
        w,
        "::{level} title=cargo-budget::{}",
        escape_data(&headline(verdict))
    )
}
