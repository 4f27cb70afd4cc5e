//! The peak memory of each capability's tests: its `tests` filterset run under nextest with
//! cargo-budget's wrapper, for `cargo budget bench` to judge against the capability's `memory`.

use crate::collect::{self, Ask};
use crate::error::Error;
use crate::model::{Metric, Run, TestsPeak};
use crate::session::Session;

/// Each capability with a memory budget and its tests' peak; `from` (results judged from
/// files): nothing is run, and each says so.
pub fn capability_peaks(
    session: &Session<'_>,
    from: bool,
) -> Result<Vec<(String, TestsPeak)>, Error> {
    let mut out = Vec::new();
    for c in session
        .config
        .capabilities
        .iter()
        .filter(|c| c.memory.is_some())
    {
        let Some(filter) = &c.tests else { continue };
        if from {
            let why = "`--from` judges results that exist and runs nothing; `cargo budget bench` \
                       without it runs the capability's tests";
            out.push((c.name.clone(), TestsPeak::NotMeasured(why.into())));
            continue;
        }
        session.ui().note(
            "Measuring",
            &format!("the memory of capability `{}`'s tests ({filter})", c.name),
        );
        // Beside the suite's run: its JUnit does not become the latest results.
        let ask = Ask {
            keep_last: false,
            at_root: true,
            count_runs: 0,
            ..Ask::once(
                crate::nextest::Selection {
                    manifest_path: session.settings.manifest_path.clone(),
                    workspace: true,
                    exprs: vec![filter.clone()],
                    ..Default::default()
                },
                true,
            )
        };
        let (collected, _) = collect::suite(session, &ask)?;
        out.push((c.name.clone(), peak(&collected.run, filter)));
    }
    Ok(out)
}

/// The highest peak among the run's tests, or why there is none.
fn peak(run: &Run, filter: &str) -> TestsPeak {
    if let Some(reason) = &run.unmeasured {
        return TestsPeak::NotMeasured(reason.clone());
    }
    if run.results.is_empty() {
        return TestsPeak::NotMeasured(format!("`{filter}` selects no test"));
    }
    run.results
        .iter()
        .filter_map(|r| Some((r.extra.get(Metric::Memory)?.as_f64() as u64, r)))
        .max_by_key(|(bytes, _)| *bytes)
        .map_or_else(
            || TestsPeak::NotMeasured("no test recorded a peak".into()),
            |(bytes, r)| TestsPeak::Measured {
                bytes,
                test: r.id.to_string(),
                tests: run.results.len(),
            },
        )
}
