//! Where a report goes: a file (`--output`, written atomically, styles stripped) or stdout
//! (styled only for the human format; a reader that went away is not an error).

use std::io::Write;
use std::path::Path;

use crate::error::Error;
use crate::fsutil;
use crate::report::Format;
use crate::ui::Ui;

pub fn format_name(f: Format) -> &'static str {
    match f {
        Format::Human => "human",
        Format::Json => "JSON",
        Format::Markdown => "Markdown",
        Format::Github => "GitHub",
    }
}

/// Writes what `render` produces in `format` to `output` or stdout.
pub fn emit(
    ui: &Ui,
    format: Format,
    output: Option<&Path>,
    render: &dyn Fn(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    match output {
        Some(path) => {
            fsutil::write_output_with(path, |w| {
                if format == Format::Human {
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
                &format!("{} report to {}", format_name(format), path.display()),
            );
        }
        None => {
            // Only the human report is styled; the others are data, passed through untouched
            // (stripping styles that are not there costs a pass over every byte).
            let sink: Box<dyn Write> = match format {
                Format::Human => Box::new(ui.stdout()),
                _ => Box::new(ui.stdout_plain()),
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
