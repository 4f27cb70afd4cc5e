//! `--format github`: workflow commands (`::error file=…,line=…,title=…::message`) that GitHub
//! Actions turns into annotations on the test's source line. File paths are relative to the
//! checkout (`Meta::roots`), not the cargo workspace. Values are escaped as the runner expects
//! (`%`, CR, LF everywhere; `:` and `,` in properties too), so a value never ends its command or
//! starts another; names are shown on one line as the human output shows them
//! ([`crate::text::shown`]), and other control characters as escapes.

use std::io::{self, Write};

use super::{Meta, headline};
use crate::policy::{Severity, Verdict};
use crate::text::shown;

/// Workflow command data: controls shown as a terminal shows them (the runner's log is one),
/// then the runner's own escapes for `%` (first), CR and LF.
pub(crate) fn escape_data(text: &str) -> String {
    crate::text::escaped(text, |c| matches!(c, '\r' | '\n'))
        .replace('%', "%25")
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
        let subject = f.test.as_ref().map_or("suite".to_string(), shown);
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

#[cfg(test)]
mod tests {
    use super::{escape_data, escape_property};

    /// The runner's rules (`%` first, CR, LF; `:` and `,` in properties), other controls as
    /// escapes: nothing in a value can end its command or start a line.
    #[test]
    fn values_are_escaped_as_the_runner_unescapes_them() {
        for (value, data, property) in [
            ("tests::it_works", "tests::it_works", "tests%3A%3Ait_works"),
            ("100%", "100%25", "100%25"),
            ("%0A", "%250A", "%250A"),
            ("a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac"),
            (
                "x\n::error ::pwned",
                "x%0A::error ::pwned",
                "x%0A%3A%3Aerror %3A%3Apwned",
            ),
            ("a,b=c", "a,b=c", "a%2Cb=c"),
            ("\u{1b}[2J\u{7}", "\\u{1b}[2J\\u{7}", "\\u{1b}[2J\\u{7}"),
        ] {
            let (d, p) = (escape_data(value), escape_property(value));
            assert_eq!((d.as_str(), p.as_str()), (data, property), "{value:?}");
            assert!(
                !format!("{d}{p}").contains(['\n', '\r', '\u{1b}']),
                "{value:?}"
            );
        }
    }
}
