//! Appending an `[[exception]]` to budget.toml with `toml_edit`: everything else in the file,
//! comments included, stays as it was.

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

pub fn append(existing: &str, e: &NewException<'_>) -> Result<String, String> {
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
    list.push(t);
    let mut text = doc.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
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
            let out = append(
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
            append(
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
        let out = append(
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
        assert!(out.starts_with(user), "{out}");
        let loaded = crate::config::parse(&out, std::path::Path::new("budget.toml")).unwrap();
        let e = &loaded.config.exceptions[0];
        assert_eq!(e.test, test);
        assert_eq!(e.budget, Some(Duration::from_millis(1900)));
        assert_eq!(e.expires.unwrap().to_string(), "2027-02-20");
    }
}
