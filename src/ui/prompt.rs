//! Prompts (dialoguer), only ever shown on a terminal: every caller has a non-interactive path.

use std::io::IsTerminal;

use dialoguer::MultiSelect;
use dialoguer::theme::ColorfulTheme;

/// Whether a prompt can be shown: stdin and stderr are terminals with a usable size, and this
/// is not CI. (A pseudo-terminal nobody sized reports 0×0, and a menu cannot draw in it.)
pub fn can_prompt(ci: bool) -> bool {
    let sized = dialoguer::console::Term::stderr()
        .size_checked()
        .is_some_and(|(rows, cols)| rows >= 5 && cols >= 20);
    !ci && std::io::stdin().is_terminal() && std::io::stderr().is_terminal() && sized
}

/// The prompt and its items as the terminal may show them: names inside escaped.
fn shown(prompt: &str, items: &[String]) -> (String, Vec<String>) {
    (
        crate::text::shown(prompt),
        items.iter().map(crate::text::shown).collect(),
    )
}

/// A checklist; returns the chosen indices. `Err` when the user aborts (Esc / Ctrl-C).
pub fn choose(prompt: &str, items: &[String], defaults: &[bool]) -> std::io::Result<Vec<usize>> {
    let (prompt, items) = shown(prompt, items);
    MultiSelect::with_theme(&ColorfulTheme::default())
        .with_prompt(prompt)
        .items(&items)
        .defaults(defaults)
        .interact_opt()
        .map_err(std::io::Error::other)?
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::Interrupted, "cancelled"))
}

/// One choice from a list; `None` when the user quits (Esc / q).
pub fn select(prompt: &str, items: &[String], default: usize) -> std::io::Result<Option<usize>> {
    let (prompt, items) = shown(prompt, items);
    dialoguer::Select::with_theme(&ColorfulTheme::default())
        .with_prompt(prompt)
        .items(&items)
        .default(default)
        .interact_opt()
        .map_err(std::io::Error::other)
}
