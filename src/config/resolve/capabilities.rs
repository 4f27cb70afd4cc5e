//! `[[capability]]` entries: a unique name, valid bench globs, a p95 budget.

use super::{Invalid, invalid};
use crate::config::raw::RawConfig;
use crate::config::types::{Capability, glob};

pub(super) fn resolve_capabilities(raw: &RawConfig) -> Result<Vec<Capability>, Invalid> {
    let mut out: Vec<Capability> = Vec::new();
    for entry in &raw.capabilities {
        let c = entry.get_ref();
        let name = c.name.get_ref();
        if name.is_empty()
            || !name
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || "_-.".contains(ch))
        {
            return invalid(
                c.name.span(),
                format!("capability name `{name}` must use only A-Z, a-z, 0-9, `_`, `-` and `.`"),
            );
        }
        if out.iter().any(|o| &o.name == name) {
            return invalid(c.name.span(), format!("a second capability named `{name}`"));
        }
        let benches = c
            .benches
            .as_ref()
            .map(|b| b.get_ref().clone())
            .unwrap_or_default();
        if let Some(spanned) = &c.benches {
            for g in spanned.get_ref() {
                if g.is_empty() || glob(g).is_none() {
                    return invalid(
                        spanned.span(),
                        format!("capability `{name}`: `{g}` is not a glob over benchmark ids"),
                    );
                }
            }
        }
        let p95 = match &c.p95 {
            None => None,
            Some(s) => Some(
                crate::config::units::parse_latency(s.get_ref())
                    .or_else(|m| invalid(s.span(), m))?,
            ),
        };
        let complexity = match &c.complexity {
            None => None,
            Some(s) => Some(crate::model::Complexity::parse(s.get_ref()).map_or_else(
                || {
                    invalid(
                        s.span(),
                        format!(
                            "`{}` is not a complexity: write one of \"O(1)\", \"O(log n)\", \
                             \"O(n)\", \"O(n log n)\", \"O(n^2)\"",
                            s.get_ref()
                        ),
                    )
                },
                Ok,
            )?),
        };
        if (p95.is_some() || complexity.is_some()) && benches.is_empty() {
            return invalid(
                entry.span(),
                format!(
                    "capability `{name}` has a budget but no benches: add e.g. \
                     benches = [\"{name}/*\"]"
                ),
            );
        }
        out.push(Capability {
            name: name.clone(),
            benches,
            p95,
            complexity,
            adr: c.adr.clone(),
            line: 0,
        });
    }
    Ok(out)
}
