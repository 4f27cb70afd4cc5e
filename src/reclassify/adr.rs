//! Architecture decision records (MADR) for budget decisions: `docs/adr/NNNN-kebab-title.md`,
//! numbered after the highest existing one, from `templates/adr.md`.

use std::path::{Path, PathBuf};

pub const DIR: &str = "docs/adr";
const TEMPLATE: &str = include_str!("../../templates/adr.md");

/// The fields of one ADR.
pub struct Adr<'a> {
    pub title: &'a str,
    pub status: &'a str,
    pub date: String,
    pub owner: &'a str,
    pub context: String,
    pub decision: String,
    pub consequences: String,
}

/// `Raise the unit budget!` → `raise-the-unit-budget`.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    let short: String = trimmed.chars().take(60).collect();
    if short.is_empty() {
        "decision".into()
    } else {
        short.trim_end_matches('-').to_string()
    }
}

/// The number after the highest `NNNN-*.md` in `dir` (1 when there is none).
pub fn next_number(dir: &Path) -> u32 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    let digits: String = name.chars().take_while(|c| c.is_ascii_digit()).collect();
                    (digits.len() >= 3 && name[digits.len()..].starts_with('-'))
                        .then(|| digits.parse::<u32>().ok())?
                })
                .max()
                .map_or(1, |n| n + 1)
        })
        .unwrap_or(1)
}

/// The path (relative to the workspace root) and text of the next ADR.
pub fn render(root: &Path, adr: &Adr<'_>) -> (PathBuf, String) {
    render_numbered(root, next_number(&root.join(DIR)), adr)
}

pub fn render_numbered(_root: &Path, number: u32, adr: &Adr<'_>) -> (PathBuf, String) {
    let number = format!("{number:04}");
    let path = PathBuf::from(DIR).join(format!("{number}-{}.md", slug(adr.title)));
    let text = TEMPLATE
        .replace("{{number}}", &number)
        .replace("{{title}}", adr.title)
        .replace("{{status}}", adr.status)
        .replace("{{date}}", &adr.date)
        .replace("{{owner}}", adr.owner)
        .replace("{{context}}", &adr.context)
        .replace("{{decision}}", &adr.decision)
        .replace("{{consequences}}", &adr.consequences);
    (path, text)
}

/// `user.name <user.email>` from git's configuration, else "unknown".
pub fn owner(dir: &Path) -> String {
    let get = |key: &str| {
        duct::cmd("git", ["config", "--get", key])
            .dir(dir)
            .stdout_capture()
            .stderr_null()
            .unchecked()
            .read()
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    match (get("user.name"), get("user.email")) {
        (Some(n), Some(e)) => format!("{n} <{e}>"),
        (Some(n), None) => n,
        (None, Some(e)) => e,
        (None, None) => "unknown".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_numbers() {
        assert_eq!(
            slug("Raise the unit budget to 2 s!"),
            "raise-the-unit-budget-to-2-s"
        );
        assert_eq!(
            slug("Exception: app::unit slow::parse"),
            "exception-app-unit-slow-parse"
        );
        assert_eq!(slug("???"), "decision");
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(next_number(dir.path()), 1);
        for name in ["0001-a.md", "0007-b.md", "template.md", "README.md"] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        assert_eq!(next_number(dir.path()), 8);
    }
}
