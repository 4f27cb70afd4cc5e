//! `tests/unit/` directory: every test in this binary is in the unit tier (1 s budget).

mod math;
