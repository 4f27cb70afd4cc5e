//! Recording an exception budget in budget.toml with `toml_edit` (a new `[[exception]]`, or a
//! budget added to the test's existing entry): everything else in the file, comments included,
//! stays as it was.

use std::time::Duration;

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

use crate::config::units::format_budget;
use crate::model::TestId;

pub struct NewException<'a> {
    pub test: &'a TestId,
    pub budget: Duration,
    pub reason: &'a str,
    pub adr: &'a str,
    pub owner: Option<&'a str>,
    pub expires: jiff::civil::Date,
}

/// What [`record`] did to budget.toml.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// A new `[[exception]]` at the end.
    Appended,
    /// The test already had an exception (one that sets only its tier): a budget was added to
    /// that entry.
    Amended,
}

/// Records an exception budget for `e.test` in the budget.toml text `existing`: a new
/// `[[exception]]`, or — when the test already has an entry — that entry with the budget set.
/// An amended entry keeps the user's reason, ADR and owner (filling only what is missing), and
/// expires at the earlier of its own date and the new one: neither decision outlives its term.
pub fn record(existing: &str, e: &NewException<'_>) -> Result<(String, Recorded), String> {
    let mut doc: DocumentMut = existing
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    let entry = doc
        .as_table_mut()
        .entry("exception")
        .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()));
    // `exception = []` or `exception = [{ … }]`: the same list, as `[[exception]]` tables.
    if entry.is_array() {
        let empty = entry.as_array().is_some_and(|a| a.is_empty());
        let taken = std::mem::take(entry);
        *entry = if empty {
            Item::ArrayOfTables(ArrayOfTables::new())
        } else {
            taken
                .into_array_of_tables()
                .map(Item::ArrayOfTables)
                .unwrap_or_else(|original| original)
        };
    }
    let Some(list) = entry.as_array_of_tables_mut() else {
        return Err("`exception` is not a list of tables".to_string());
    };
    let names_test = |t: &Table| {
        t.get("test")
            .and_then(Item::as_str)
            .and_then(|text| text.split_once(' '))
            .is_some_and(|(binary, name)| TestId::new(binary, name) == *e.test)
    };
    let found = list.iter().position(names_test);
    let recorded = match found.and_then(|i| list.get_mut(i)) {
        Some(t) => {
            amend(t, e);
            Recorded::Amended
        }
        None => {
            list.push(new_entry(e));
            Recorded::Appended
        }
    };
    let mut text = doc.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok((text, recorded))
}

/// Sets the budget on the test's own entry, keeping the user's reason, ADR and owner (adding
/// only what is missing), and the earlier of the two expiry dates.
fn amend(t: &mut Table, e: &NewException<'_>) {
    t.insert("budget", value(format_budget(e.budget)));
    for (key, text) in [
        ("reason", Some(e.reason)),
        ("adr", Some(e.adr)),
        ("owner", e.owner),
    ] {
        if let Some(text) = text
            && !t.contains_key(key)
        {
            t.insert(key, value(text));
        }
    }
    let theirs = t.get("expires").and_then(|v| {
        v.as_str()
            .map(str::to_string)
            .or_else(|| v.as_datetime().map(|d| d.to_string()))
    });
    match theirs.map(|d| d.parse::<jiff::civil::Date>()) {
        Some(Ok(date)) if date <= e.expires => {}
        // Not a date: left for validation to name, with its position.
        Some(Err(_)) => {}
        _ => {
            t.insert("expires", value(e.expires.to_string()));
        }
    }
}

/// A new `[[exception]]` entry for `e`.
fn new_entry(e: &NewException<'_>) -> Table {
    let mut t = Table::new();
    t.decor_mut().set_prefix("\n");
    t.insert("test", value(e.test.to_string()));
    t.insert("budget", value(format_budget(e.budget)));
    t.insert("reason", value(e.reason));
    t.insert("adr", value(e.adr));
    if let Some(owner) = e.owner {
        t.insert("owner", value(owner));
    }
    t.insert("expires", value(e.expires.to_string()));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_lists_become_tables() {
        let test = TestId::new("a::unit", "t");
        for user in [
            "exception = []\n",
            "exception = [{ test = \"a::unit u\", budget = \"2s\" }]\n",
        ] {
            let (out, _) = record(
                user,
                &NewException {
                    test: &test,
                    budget: Duration::from_secs(2),
                    reason: "r",
                    adr: "a.md",
                    owner: None,
                    expires: "2027-01-01".parse().unwrap(),
                },
            )
            .unwrap();
            let loaded = crate::config::parse(&out, std::path::Path::new("budget.toml")).unwrap();
            assert!(
                loaded.config.exceptions.iter().any(|e| e.test == test),
                "{out}"
            );
        }
        assert!(
            record(
                "exception = 3\n",
                &NewException {
                    test: &test,
                    budget: Duration::from_secs(2),
                    reason: "r",
                    adr: "a.md",
                    owner: None,
                    expires: "2027-01-01".parse().unwrap(),
                }
            )
            .is_err()
        );
    }

    #[test]
    fn appends_and_keeps_comments() {
        let user =
            "# Our budgets\nphase = \"warn\" # rolling out\n\n[tiers.unit]\nbudget = \"2s\"\n";
        let test = TestId::new("app::unit", "slow::parse \"big\"");
        let (out, how) = record(
            user,
            &NewException {
                test: &test,
                budget: Duration::from_millis(1900),
                reason: "fixture parse",
                adr: "docs/adr/0002-x.md",
                owner: Some("Dev <dev@example.invalid>"),
                expires: "2027-02-20".parse().unwrap(),
            },
        )
        .unwrap();
        assert_eq!(how, Recorded::Appended);
        assert!(out.starts_with(user), "{out}");
        // One number and one unit, as a person writes it (humantime wrote `1s 900ms`).
        assert!(out.contains("\nbudget = \"1.9s\"\n"), "{out}");
        let loaded = crate::config::parse(&out, std::path::Path::new("budget.toml")).unwrap();
        let e = &loaded.config.exceptions[0];
        assert_eq!(e.test, test);
        assert_eq!(e.budget, Some(Duration::from_millis(1900)));
        assert_eq!(e.expires.unwrap().to_string(), "2027-02-20");
    }

    #[test]
    fn a_tier_only_exception_gets_the_budget_not_a_second_entry() {
        let test = TestId::new("app", "tests::slow");
        let new = |expires: &str| NewException {
            test: &test,
            budget: Duration::from_millis(1900),
            reason: "slow unit test",
            adr: "docs/adr/0003-x.md",
            owner: Some("Dev <dev@example.invalid>"),
            expires: expires.parse().unwrap(),
        };
        let user = "[[exception]] # ours\ntest = \"app tests::slow\"\ntier = \"unit\"\nreason = \"kept in unit on purpose\"\nexpires = \"2027-01-01\"\n";
        for (expires, kept) in [("2027-06-01", "2027-01-01"), ("2026-12-01", "2026-12-01")] {
            let (out, how) = record(user, &new(expires)).unwrap();
            assert_eq!(how, Recorded::Amended);
            let loaded = crate::config::parse(&out, std::path::Path::new("budget.toml")).unwrap();
            assert_eq!(loaded.config.exceptions.len(), 1, "{out}");
            let e = &loaded.config.exceptions[0];
            assert_eq!(e.budget, Some(Duration::from_millis(1900)));
            assert_eq!(e.tier.as_deref(), Some("unit"));
            assert_eq!(e.reason.as_deref(), Some("kept in unit on purpose"));
            assert_eq!(e.adr.as_deref(), Some("docs/adr/0003-x.md"));
            assert_eq!(e.expires.unwrap().to_string(), kept);
            assert!(out.contains("# ours"), "{out}");
        }
    }
}
