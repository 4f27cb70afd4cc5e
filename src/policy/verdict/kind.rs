//! What kind of thing a rule found: one list for tests, benchmarks and capabilities, each with
//! the name reports and history use for it.

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    OverBudget,
    /// Peak memory over its budget (an `OverBudget` payload for the memory metric).
    OverMemory,
    /// Tests have memory budgets, but memory was not measured in this run.
    MemoryNotMeasured,
    /// Instructions over their budget (an `OverBudget` payload for the instruction metric).
    OverInstructions,
    /// Tests asked to count instructions got no count.
    InstructionsNotMeasured,
    /// A test whose instruction count moved between counting runs: judged by time.
    InstructionsNondeterministic,
    Timeout,
    SuiteOverBudget,
    ExceptionExpired,
    ExceptionStale,
    TestFailed,
    Regression,
    /// The typical test is slower than in the baseline: the machine or the whole suite.
    SuiteSlower,
    /// Passed, but the report gives no duration for it: it cannot be judged.
    NoDuration,
    // Benchmarks and capabilities, in the order their findings are listed.
    /// `cargo bench` failed for a target.
    BenchFailed,
    /// A benchmark with too few usable samples to judge (now or in the baseline): it fails,
    /// never passes by leaving the comparison.
    BenchUnjudged,
    /// Clearly slower beyond a threshold.
    BenchRegression,
    /// Over a threshold by the point estimate only.
    BenchInconclusive,
    /// A benchmark's instruction count grew beyond a threshold.
    BenchInstructionsRegression,
    /// The baseline was measured under another contract.
    BenchNotComparable,
    /// A bench target that yielded no readable results.
    BenchNotMeasured,
    /// A benchmark (or bench target) whose instructions were wanted but not counted.
    BenchInstructionsNotMeasured,
    /// A capability's benchmark whose p95 is clearly over its budget.
    CapabilityOverBudget,
    /// Over a capability's p95 budget by the point estimate only.
    CapabilityInconclusive,
    /// A capability's benchmark over its instruction budget.
    CapabilityOverInstructions,
    /// A capability with an instruction budget none of whose benchmarks was counted.
    CapabilityInstructionsNotMeasured,
    /// A capability whose bench globs matched no benchmark measured.
    CapabilityUnmatched,
    /// A parametrized group grows faster than its capability claims.
    ComplexityExceeded,
    /// A complexity claim that the sizes measured cannot check.
    ComplexityUnfit,
    /// A parametrized group that keeps its claim (info: the fitted exponent, shown).
    ComplexityWithin,
    /// A capability's tests peaked above its memory budget.
    CapabilityOverMemory,
    /// A capability with a memory budget whose tests' peak is not known (with the reason).
    CapabilityMemoryNotMeasured,
    /// A capability's tests within its memory budget (info: the peak, shown).
    CapabilityMemoryWithin,
    /// A benchmark whose runs counted different instructions (info: judged by time alone).
    BenchInstructionsNondeterministic,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::OverBudget => "over-budget",
            FindingKind::OverMemory => "over-memory",
            FindingKind::MemoryNotMeasured => "memory-not-measured",
            FindingKind::OverInstructions => "over-instructions",
            FindingKind::InstructionsNotMeasured => "instructions-not-measured",
            FindingKind::InstructionsNondeterministic => "instructions-nondeterministic",
            FindingKind::Timeout => "timeout",
            FindingKind::SuiteOverBudget => "suite-over-budget",
            FindingKind::ExceptionExpired => "exception-expired",
            FindingKind::ExceptionStale => "exception-stale",
            FindingKind::TestFailed => "test-failed",
            FindingKind::Regression => "regression",
            FindingKind::SuiteSlower => "suite-slower",
            FindingKind::NoDuration => "no-duration",
            FindingKind::BenchFailed => "bench-failed",
            FindingKind::BenchUnjudged => "bench-unjudged",
            FindingKind::BenchRegression => "bench-regression",
            FindingKind::BenchInconclusive => "bench-inconclusive",
            FindingKind::BenchInstructionsRegression => "bench-instructions-regression",
            FindingKind::BenchNotComparable => "bench-not-comparable",
            FindingKind::BenchNotMeasured => "bench-not-measured",
            FindingKind::BenchInstructionsNotMeasured => "bench-instructions-not-measured",
            FindingKind::CapabilityOverBudget => "capability-over-budget",
            FindingKind::CapabilityInconclusive => "capability-inconclusive",
            FindingKind::CapabilityOverInstructions => "capability-over-instructions",
            FindingKind::CapabilityInstructionsNotMeasured => {
                "capability-instructions-not-measured"
            }
            FindingKind::CapabilityUnmatched => "capability-unmatched",
            FindingKind::ComplexityExceeded => "complexity-exceeded",
            FindingKind::ComplexityUnfit => "complexity-unfit",
            FindingKind::ComplexityWithin => "complexity-within",
            FindingKind::CapabilityOverMemory => "capability-over-memory",
            FindingKind::CapabilityMemoryNotMeasured => "capability-memory-not-measured",
            FindingKind::CapabilityMemoryWithin => "capability-memory-within",
            FindingKind::BenchInstructionsNondeterministic => "bench-instructions-nondeterministic",
        }
    }

    /// Counts as a budget violation of its tier.
    pub fn is_test_violation(self) -> bool {
        matches!(
            self,
            FindingKind::OverBudget
                | FindingKind::OverMemory
                | FindingKind::OverInstructions
                | FindingKind::Timeout
        )
    }

    /// A failure that is not a budget matter (a test or a bench target failed): the verdict is
    /// then `tests-failed`.
    pub fn is_failure(self) -> bool {
        matches!(self, FindingKind::TestFailed | FindingKind::BenchFailed)
    }
}
