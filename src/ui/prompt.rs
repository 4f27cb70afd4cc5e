//! Prompts (dialoguer), only ever shown on a terminal: every caller has a non-interactive path.

use std::io::IsTerminal;

use dialoguer::MultiSelect;
use dialoguer::theme::ColorfulTheme;

/// Whether a prompt can be shown: stdin and stderr are terminals and this is not CI.
pub fn can_prompt() -> bool {
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    !ci && std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// A checklist; returns the chosen indices. `Err` when the user aborts (Esc / Ctrl-C).
pub fn choose(prompt: &str, items: &[String], defaults: &[bool]) -> std::io::Result<Vec<usize>> {
    MultiSelect::with_theme(&ColorfulTheme::default())
        .with_prompt(prompt)
        .items(items)
        .defaults(defaults)
        .interact_opt()
        .map_err(std::io::Error::other)?
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::Interrupted, "cancelled"))
}
