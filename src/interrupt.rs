//! Ctrl-C / SIGTERM: remembered, so a run in progress can stop nextest, skip judging and exit
//! with the "interrupted" code instead of dying half-way.

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Installs the handler once; later calls are no-ops.
pub fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Failure only means another handler is installed (e.g. when embedded); then the
        // default behaviour applies and nothing is lost.
        let _ = ctrlc::set_handler(|| REQUESTED.store(true, Ordering::SeqCst));
    });
}

pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}
