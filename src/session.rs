//! What a command resolves once before it acts: its settings, the cargo workspace, budget.toml,
//! the context it judges in, the workspace's test binaries and sources, where nextest runs and
//! what it must not see. Every judging command opens one session and passes it down.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::config::{self, Config, Context, Loaded};
use crate::error::Error;
use crate::model::BinaryInfo;
use crate::settings::Settings;
use crate::sources::SourceIndex;
use crate::ui::Ui;
use crate::workspace::Workspace;

/// A command's resolved inputs. `W` is the workspace: [`Workspace`] for commands that need
/// one, `Option<Workspace>` for those that also work outside one (judging files).
pub struct Session<'s, W = Workspace> {
    pub settings: &'s Settings,
    pub ws: W,
    /// The workspace root, or the directory cargo-budget started in outside a workspace.
    pub root: PathBuf,
    pub config: Config,
    pub context: Context,
    /// Where nextest runs: the user's directory (a member directory selects that member, as
    /// `cargo nextest` would there), or the workspace root for a hook.
    pub cwd: PathBuf,
    /// Environment variables nextest and the tests must not see (git's hook variables).
    pub env_remove: Vec<String>,
    binaries: OnceLock<Vec<BinaryInfo>>,
    sources: OnceLock<SourceIndex>,
    /// `cargo nextest --version`, once the first run asked.
    pub(crate) nextest_version: OnceLock<String>,
    /// The budgets as nextest slow-timeout overrides, once the first run needed them.
    pub(crate) overrides: OnceLock<Vec<crate::nextest::tool_config::SlowTimeout>>,
}

impl<'s> Session<'s> {
    /// The workspace of `--manifest-path` (or the current directory) and its budget.toml (its
    /// unknown keys warned about), judged in `mode`'s context (else `ci` in CI, else `dev`).
    pub fn open(settings: &'s Settings, mode: Option<Context>) -> Result<Self, Error> {
        let ws = Workspace::load(settings.manifest_path.as_deref())?;
        Self::with_workspace(settings, ws, settings.context(mode), settings.cwd.clone())
    }

    /// The workspace of `manifest` with `env_remove` hidden from cargo and nextest, run from
    /// its root (a hook runs at the top of the work tree).
    pub fn open_for_hook(
        settings: &'s Settings,
        manifest: &std::path::Path,
        env_remove: &[String],
        context: Context,
    ) -> Result<Self, Error> {
        let ws = Workspace::load_without_env(Some(manifest), env_remove)?;
        let root = ws.root.clone();
        let mut session = Self::with_workspace(settings, ws, context, root)?;
        session.env_remove = env_remove.to_vec();
        Ok(session)
    }

    fn with_workspace(
        settings: &'s Settings,
        ws: Workspace,
        context: Context,
        cwd: PathBuf,
    ) -> Result<Self, Error> {
        let root = ws.root.clone();
        let config = load_config(settings, &root)?;
        Ok(Session::new(settings, ws, root, config, context, cwd))
    }

    /// The workspace's test binaries (from cargo metadata).
    pub fn binaries(&self) -> &[BinaryInfo] {
        self.binaries.get_or_init(|| self.ws.binaries())
    }

    /// The workspace's tests found in its sources (markers, frameworks, locations).
    pub fn sources(&self) -> &SourceIndex {
        self.sources
            .get_or_init(|| SourceIndex::build(&self.ws, self.binaries()))
    }

    /// The workspace's members, by name.
    pub fn members(&self) -> Vec<String> {
        self.ws.packages.iter().map(|p| p.name.clone()).collect()
    }
}

impl<'s> Session<'s, Option<Workspace>> {
    /// The workspace here or above when there is one (none: judged outside a workspace, where
    /// markers and locations are unknown; without a manifest here or above cargo is not asked),
    /// and budget.toml from its root or the current directory.
    pub fn open_if_any(settings: &'s Settings, mode: Option<Context>) -> Result<Self, Error> {
        let cwd = settings.cwd.clone();
        let in_a_package = settings.manifest_path.is_some()
            || cwd.ancestors().any(|d| d.join("Cargo.toml").is_file());
        let ws = in_a_package
            .then(|| Workspace::load(settings.manifest_path.as_deref()).ok())
            .flatten();
        let root = ws.as_ref().map_or(cwd.clone(), |ws| ws.root.clone());
        let config = load_config(settings, &root)?;
        let context = settings.context(mode);
        Ok(Session::new(settings, ws, root, config, context, cwd))
    }
}

impl<'s, W> Session<'s, W> {
    fn new(
        settings: &'s Settings,
        ws: W,
        root: PathBuf,
        config: Config,
        context: Context,
        cwd: PathBuf,
    ) -> Self {
        Session {
            settings,
            ws,
            root,
            config,
            context,
            cwd,
            env_remove: Vec::new(),
            binaries: OnceLock::new(),
            sources: OnceLock::new(),
            nextest_version: OnceLock::new(),
            overrides: OnceLock::new(),
        }
    }

    pub fn ui(&self) -> &Ui {
        &self.settings.ui
    }

    /// The terms its runs are judged on: budget.toml, the context, today.
    pub fn terms(&self) -> crate::policy::Terms<'_> {
        self.terms_in(self.context)
    }

    /// [`Session::terms`] in another context (a baseline is recorded, not enforced: `dev`).
    pub fn terms_in(&self, context: Context) -> crate::policy::Terms<'_> {
        crate::policy::Terms {
            config: &self.config,
            context,
            today: jiff::Zoned::now().date(),
        }
    }
}

/// Loads `--config PATH` (which must exist) or `<root>/budget.toml` (defaults when absent),
/// printing unknown-key warnings.
pub fn load_config(settings: &Settings, root: &Path) -> Result<Config, Error> {
    let loaded = load_config_quietly(settings, root)?;
    for w in &loaded.warnings {
        settings.ui.warn(w);
    }
    Ok(loaded.config)
}

/// [`load_config`] without printing the warnings (for a second load in one command).
pub fn load_config_quietly(settings: &Settings, root: &Path) -> Result<Loaded, Error> {
    Ok(match &settings.config {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|source| config::ConfigError::Read {
                    path: path.clone(),
                    source,
                })?;
            config::parse(&text, path)?
        }
        None => config::load_or_default(&root.join(config::FILE_NAME))?,
    })
}
