//! Every rule the product has, as pure functions: classification, evaluation, enforcement and
//! andon signals. No I/O. Tests are judged through one door: [`assess`] (what the evidence
//! says, and what to re-run alone to be sure), then [`settle`] (the verdict).

pub mod aggregate;
pub mod alone;
pub mod andon;
pub mod assess;
pub mod bench;
pub mod classify;
pub mod compare;
pub mod confirm;
pub mod enforce;
pub mod evaluate;
pub mod impact;
pub mod noise;
pub mod reclassify;
pub mod references;
pub mod trend;
pub mod verdict;

pub use assess::{Assessed, Evidence, Origin, Recorded, Scope, Terms, assess, settle};
pub use classify::{ClassifyError, Placement, Rule, classify};
pub use evaluate::{Inputs, evaluate};
pub use verdict::{
    Andon, AndonLevel, Classified, Finding, FindingKind, Judged, Judgement, Payload, Severity,
    Signal, Status, TierSummary, Verdict,
};
