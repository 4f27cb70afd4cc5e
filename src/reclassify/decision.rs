//! One slow test in a reclassify session, with what will be done to it.

use super::moves::MovePlan;
use crate::policy::reclassify::{Candidate, Choice};

/// One candidate with what will be done to it.
pub struct Decision {
    pub candidate: Candidate,
    pub choice: Choice,
    pub plan: Option<MovePlan>,
    /// Why a move is not offered, when it is not.
    pub no_move: Option<String>,
}
