//! The peak memory of each capability's tests: its `tests` filterset run under nextest with
//! cargo-budget's wrapper, for `cargo budget bench` to judge against the capability's `memory`.

use crate::config::{Config, Context};
use crate::error::Error;
use crate::model::{Metric, Run, TestsPeak};
use crate::settings::Settings;
use crate::workspace::Workspace;

/// Each capability with a memory budget and its tests' peak; `from` (results judged from
/// files): nothing is run, and each says so.
pub fn capability_peaks(
    settings: &Settings,
    ws: &Workspace,
    config: &Config,
    context: Context,
    from: bool,
) -> Result<Vec<(String, TestsPeak)>, Error> {
    let mut out = Vec::new();
    for c in config.capabilities.iter().filter(|c| c.memory.is_some()) {
        let Some(filter) = &c.tests else { continue };
        if from {
            let why = "`--from` judges results that exist and runs nothing; `cargo budget bench` \
                       without it runs the capability's tests";
            out.push((c.name.clone(), TestsPeak::NotMeasured(why.into())));
            continue;
        }
        settings.ui.note(
            "Measuring",
            &format!("the memory of capability `{}`'s tests ({filter})", c.name),
        );
        let how = super::Measure {
            selection: crate::nextest::Selection {
                manifest_path: settings.manifest_path.clone(),
                workspace: true,
                exprs: vec![filter.clone()],
                ..Default::default()
            },
            quiet: true,
            runs: 1,
            cwd: &ws.root,
            env_remove: &[],
            context,
        };
        let collected = super::measure_aside(settings, &settings.ui, ws, config, &how)?;
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
