//! The per-invocation nextest config cargo-budget injects with `--tool-config-file`: one profile
//! with JUnit output, `fail-fast = false` and `slow-timeout` overrides. Written with `toml_edit`,
//! so filters and paths are always quoted correctly.

use std::path::PathBuf;
use std::time::Duration;

use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, Table, value};

/// The name cargo-budget registers its tool config under (`--tool-config-file NAME:PATH`).
pub const TOOL_NAME: &str = "cargo-budget";
/// The profile defined by the tool config and selected with `-P`.
pub const PROFILE: &str = "cargo-budget";

/// A `[[profile.X.overrides]]` entry with a `slow-timeout`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlowTimeout {
    pub filter: String,
    /// nextest prints SLOW at each multiple of this.
    pub period: Duration,
    /// Killed after this many periods.
    pub terminate_after: u32,
    pub grace_period: Duration,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToolConfig {
    /// The profile the settings go in: [`PROFILE`], or the user's (nextest layers a profile
    /// of the same name from the repository's config above this one).
    pub profile: String,
    pub junit_path: PathBuf,
    /// First match wins, as in nextest.
    pub overrides: Vec<SlowTimeout>,
    /// The command nextest wraps every test in (`[cargo-budget, "__wrap"]`), when the
    /// repository enables wrapper scripts (only a repository config can).
    pub wrapper: Option<Vec<String>>,
}

/// The wrapper script's name: tool configs may only define `@tool:<tool>:…` scripts.
pub const WRAPPER_SCRIPT: &str = "@tool:cargo-budget:measure";
/// The experimental feature a repository config must enable for wrapper scripts.
pub const WRAPPER_FEATURE: &str = "wrapper-scripts";

fn millis(d: Duration) -> String {
    format!("{}ms", d.as_millis())
}

impl ToolConfig {
    pub fn to_toml(&self) -> String {
        let mut doc = DocumentMut::new();
        let mut profile = Table::new();
        profile.insert("fail-fast", value(false));
        let mut junit = Table::new();
        junit.insert("path", value(self.junit_path.to_string_lossy().as_ref()));
        // Every listed test gets a testcase, skipped ones with the reason: the run's JUnit is
        // also the inventory of what exists, so no separate `nextest list` is needed.
        junit.insert("report-skipped", value("all"));
        profile.insert("junit", Item::Table(junit));
        let mut overrides = ArrayOfTables::new();
        for o in &self.overrides {
            let mut t = Table::new();
            t.insert("filter", value(o.filter.as_str()));
            let mut slow = InlineTable::new();
            slow.insert("period", millis(o.period).into());
            slow.insert("terminate-after", i64::from(o.terminate_after).into());
            slow.insert("grace-period", millis(o.grace_period).into());
            t.insert("slow-timeout", value(slow));
            overrides.push(t);
        }
        if !overrides.is_empty() {
            profile.insert("overrides", Item::ArrayOfTables(overrides));
        }
        if let Some(command) = &self.wrapper {
            doc.insert("scripts", wrapper_script(command));
            let mut rule = Table::new();
            rule.insert("filter", value("all()"));
            rule.insert("run-wrapper", value(WRAPPER_SCRIPT));
            let mut rules = ArrayOfTables::new();
            rules.push(rule);
            profile.insert("scripts", Item::ArrayOfTables(rules));
        }
        let mut profiles = Table::new();
        profiles.set_implicit(true);
        profiles.insert(&self.profile, Item::Table(profile));
        doc.insert("profile", Item::Table(profiles));
        doc.to_string()
    }
}

/// `[scripts.wrapper."@tool:cargo-budget:measure"]`: the command as an array (no shell
/// splitting, so any path works); a target runner, when the user has one, runs inside it.
fn wrapper_script(command: &[String]) -> Item {
    let mut script = Table::new();
    let mut argv = toml_edit::Array::new();
    for arg in command {
        argv.push(arg.as_str());
    }
    script.insert("command", value(argv));
    script.insert("target-runner", value("within-wrapper"));
    let mut wrappers = Table::new();
    wrappers.insert(WRAPPER_SCRIPT, Item::Table(script));
    let mut scripts = Table::new();
    scripts.set_implicit(true);
    wrappers.set_implicit(true);
    scripts.insert("wrapper", Item::Table(wrappers));
    Item::Table(scripts)
}

/// Whether the repository's `.config/nextest.toml` enables wrapper scripts
/// (`experimental = ["wrapper-scripts"]`), which nextest accepts from no other place.
pub fn repository_enables_wrappers(workspace_root: &std::path::Path) -> bool {
    let path = workspace_root.join(".config").join("nextest.toml");
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| t.parse::<DocumentMut>().ok())
        .and_then(|doc| {
            let list = doc.get("experimental")?.as_array()?;
            Some(list.iter().any(|v| v.as_str() == Some(WRAPPER_FEATURE)))
        })
        .unwrap_or(false)
}

/// The profiles nextest knows for a workspace: its built-in ones and those of the repository's
/// `.config/nextest.toml` (the only repository file nextest reads). Unreadable or invalid
/// files are left for nextest to report.
pub fn known_profiles(workspace_root: &std::path::Path) -> Vec<String> {
    let mut names = vec!["default".to_string(), "default-miri".to_string()];
    let path = workspace_root.join(".config").join("nextest.toml");
    if let Some(doc) = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| t.parse::<DocumentMut>().ok())
        && let Some(profiles) = doc.get("profile").and_then(Item::as_table_like)
    {
        for (name, _) in profiles.iter() {
            if !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// Whether the repository's `.config/nextest.toml` sets `junit.report-skipped` in `profile`,
/// the profile the run uses: that wins over the tool config's (a value inherited from the
/// repository's `default` profile does not), so skipped tests might be missing from the JUnit.
pub fn repository_sets_report_skipped(workspace_root: &std::path::Path, profile: &str) -> bool {
    let path = workspace_root.join(".config").join("nextest.toml");
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| t.parse::<DocumentMut>().ok())
        .is_some_and(|doc| {
            doc.get("profile")
                .and_then(|p| p.get(profile))
                .and_then(|p| p.get("junit"))
                .and_then(|j| j.get("report-skipped"))
                .is_some()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_quoted_filters() {
        let config = ToolConfig {
            profile: PROFILE.into(),
            junit_path: PathBuf::from("/t/j u\"nit.xml"),
            overrides: vec![SlowTimeout {
                filter: "(binary_id(=a::unit) & test(=q\"d'x\\)))".into(),
                period: Duration::from_secs(1),
                terminate_after: 3,
                grace_period: Duration::from_millis(500),
            }],
            wrapper: Some(vec!["/a dir/cargo-budget".into(), "__wrap".into()]),
        };
        let text = config.to_toml();
        let parsed: toml::Table = toml::from_str(&text).unwrap();
        let profile = &parsed["profile"]["cargo-budget"];
        assert_eq!(profile["fail-fast"].as_bool(), Some(false));
        assert_eq!(profile["junit"]["path"].as_str(), Some("/t/j u\"nit.xml"));
        assert_eq!(profile["junit"]["report-skipped"].as_str(), Some("all"));
        let o = &profile["overrides"][0];
        assert_eq!(
            o["filter"].as_str(),
            Some("(binary_id(=a::unit) & test(=q\"d'x\\)))")
        );
        assert_eq!(o["slow-timeout"]["period"].as_str(), Some("1000ms"));
        assert_eq!(o["slow-timeout"]["terminate-after"].as_integer(), Some(3));
        let script = &parsed["scripts"]["wrapper"][WRAPPER_SCRIPT];
        assert_eq!(
            script["command"].as_array().unwrap(),
            &vec![
                toml::Value::from("/a dir/cargo-budget"),
                toml::Value::from("__wrap")
            ]
        );
        assert_eq!(
            profile["scripts"][0]["run-wrapper"].as_str(),
            Some(WRAPPER_SCRIPT)
        );
        assert_eq!(profile["scripts"][0]["filter"].as_str(), Some("all()"));
    }
}
