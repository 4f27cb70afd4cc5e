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

/// The number of an ADR file name: `0007-x.md`, `0007_x.md`, `12-x.md`, `ADR-0008-x.md`.
fn number_of(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("adr-")
        .or_else(|| lower.strip_prefix("adr_"))
        .unwrap_or(&lower);
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let after = &rest[digits.len()..];
    let separated = after.starts_with('-') || after.starts_with('_') || after.starts_with('.');
    if digits.is_empty() || !separated {
        return None;
    }
    digits.parse().ok()
}

/// The number after the highest numbered ADR in `dir` (1 when there is none).
pub fn next_number(dir: &Path) -> u32 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter_map(|e| number_of(&e.file_name().to_string_lossy()))
                .max()
                .map_or(1, |n| n + 1)
        })
        .unwrap_or(1)
}

/// The path (relative to the workspace root) and text of the next ADR.
pub fn render(root: &Path, adr: &Adr<'_>) -> (PathBuf, String) {
    render_numbered(next_number(&root.join(DIR)), adr)
}

pub fn render_numbered(number: u32, adr: &Adr<'_>) -> (PathBuf, String) {
    let number = format!("{number:04}");
    let path = PathBuf::from(DIR).join(format!("{number}-{}.md", slug(adr.title)));
    let value = |key: &str| match key {
        "number" => Some(number.as_str()),
        "title" => Some(adr.title),
        "status" => Some(adr.status),
        "date" => Some(adr.date.as_str()),
        "owner" => Some(adr.owner),
        "context" => Some(adr.context.as_str()),
        "decision" => Some(adr.decision.as_str()),
        "consequences" => Some(adr.consequences.as_str()),
        _ => None,
    };
    // One pass, so a title containing `{{date}}` stays as written.
    let mut text = String::with_capacity(TEMPLATE.len() + 256);
    let mut rest = TEMPLATE;
    while let Some(start) = rest.find("{{") {
        text.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after
            .find("}}")
            .and_then(|end| value(&after[..end]).map(|v| (end, v)))
        {
            Some((end, v)) => {
                text.push_str(v);
                rest = &after[end + 2..];
            }
            None => {
                text.push_str("{{");
                rest = after;
            }
        }
    }
    text.push_str(rest);
    (path, text)
}

/// `user.name <user.email>` from git's configuration, else "unknown".
pub fn owner(dir: &Path) -> String {
    let get = |key: &str| {
        crate::git::run(dir, &["config", "--get", key])
            .ok()
            .filter(|out| out.ok)
            .map(|out| out.stdout.trim().to_string())
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
        std::fs::write(dir.path().join("ADR-0012_c.md"), "").unwrap();
        assert_eq!(next_number(dir.path()), 13);
        let (_, text) = render_numbered(
            1,
            &Adr {
                title: "Keep {{date}} literal",
                status: "proposed",
                date: "2026-11-22".into(),
                owner: "o",
                context: "c".into(),
                decision: "d".into(),
                consequences: "q".into(),
            },
        );
        assert!(
            text.starts_with("# 0001. Keep {{date}} literal\n"),
            "{text}"
        );
    }
}
