//! The history of recorded runs, kept in git notes: the record format and the store.

pub mod record;
pub mod series;
pub mod store;

pub use record::{HistoryRecord, RecordKind};
pub use store::{HistoryError, NOTES_REF, Recorded};
