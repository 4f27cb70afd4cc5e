//! The crate's error type: every failure a user can meet, with a message that names the file,
//! position or command involved.

use crate::config::ConfigError;
use crate::nextest::NextestError;
use crate::nextest::junit::JunitError;
use crate::policy::ClassifyError;
use crate::workspace::WorkspaceError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Classify(#[from] ClassifyError),
    #[error(transparent)]
    Junit(#[from] JunitError),
    #[error(transparent)]
    Nextest(#[from] NextestError),
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Baseline(#[from] crate::baseline::BaselineError),
    #[error(transparent)]
    Bench(#[from] crate::criterion::BenchError),
    #[error(transparent)]
    Hook(#[from] crate::git::hooks::HookError),
    #[error(transparent)]
    Git(#[from] crate::git::GitError),
    #[error(transparent)]
    SetAside(#[from] crate::git::setaside::SetAsideError),
    #[error(transparent)]
    History(#[from] crate::history::HistoryError),
    #[error("{what}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Usage(String),
    #[error("interrupted")]
    Interrupted,
}

impl From<crate::fsutil::Error> for Error {
    fn from(e: crate::fsutil::Error) -> Self {
        let (what, source) = match e {
            crate::fsutil::Error::Io { what, source } => (what, source),
            crate::fsutil::Error::Usage(message) => return Error::Usage(message),
        };
        Error::Io { what, source }
    }
}
