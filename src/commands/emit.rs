//! The report options `report` and `bench` share (context, format, output), and where a report
//! goes: a file (`--output`, written atomically, styles stripped) or stdout (styled only for the
//! human format; a reader that went away is not an error).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::Context;
use crate::error::Error;
use crate::fsutil;
use crate::report::Format;
use crate::ui::Ui;

/// How and where a verdict is reported.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Enforcement context [default: ci when CI is set, else dev]
    #[arg(long, value_enum, help_heading = "Report")]
    pub mode: Option<Context>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human, help_heading = "Report")]
    pub format: Format,
    /// Write the report to FILE instead of stdout
    #[arg(long, short = 'o', value_name = "FILE", help_heading = "Report")]
    pub output: Option<PathBuf>,
}

impl ReportArgs {
    /// Writes the report `render` produces in the chosen format where it was asked for; when
    /// that is not the human report on stdout, `headline` goes to stderr as the verdict.
    pub fn show(
        &self,
        ui: &Ui,
        render: &dyn Fn(Format, &mut dyn Write) -> std::io::Result<()>,
        headline: &str,
    ) -> Result<(), Error> {
        let written = Written {
            styled: self.format == Format::Human,
            what: format_name(self.format),
        };
        emit(ui, written, self.output.as_deref(), &|w| {
            render(self.format, w)
        })?;
        if self.format != Format::Human || self.output.is_some() {
            ui.note("Verdict", headline);
        }
        Ok(())
    }
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Human => "human",
        Format::Json => "JSON",
        Format::Markdown => "Markdown",
        Format::Github => "GitHub",
        Format::Openmetrics => "OpenMetrics",
        Format::Html => "HTML",
    }
}

/// What is being written: styled (the human report: styles stripped in a file) or data, and
/// its name for the "Wrote … report to FILE" note.
#[derive(Clone, Copy)]
pub struct Written<'a> {
    pub styled: bool,
    pub what: &'a str,
}

/// Writes what `render` produces to `output` (atomically) or stdout.
pub fn emit(
    ui: &Ui,
    written: Written<'_>,
    output: Option<&Path>,
    render: &dyn Fn(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    match output {
        Some(path) => {
            fsutil::write_output_with(path, |w| {
                if written.styled {
                    // The human report is small (tiers and findings); strip its styling.
                    let mut styled = Vec::new();
                    render(&mut styled)?;
                    w.write_all(&anstream::adapter::strip_bytes(&styled).into_vec())
                } else {
                    render(w)
                }
            })?;
            ui.note(
                "Wrote",
                &format!("{} report to {}", written.what, path.display()),
            );
        }
        None => {
            // Only the human report is styled; the others are data, passed through untouched
            // (stripping styles that are not there costs a pass over every byte).
            let sink: Box<dyn Write> = match written.styled {
                true => Box::new(ui.stdout()),
                false => Box::new(ui.stdout_plain()),
            };
            let mut out = std::io::BufWriter::with_capacity(1 << 16, sink);
            match render(&mut out).and_then(|()| out.flush()) {
                // The reader went away (`| head`): the verdict still decides the exit code.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other.map_err(|source| Error::Io {
                    what: "failed to write the report".into(),
                    source,
                })?,
            }
        }
    }
    Ok(())
}
