//! Every test of a run placed in its tier: the binary's kind and target from cargo metadata
//! (derived from the binary id when unknown), its source from the index.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::error::Error;
use crate::model::{BinaryInfo, TestId};
use crate::policy::{self, Classified};
use crate::sources::SourceIndex;

/// Places every test in `ids`.
pub fn all<'a>(
    config: &Config,
    ids: impl IntoIterator<Item = &'a TestId>,
    binaries: &[BinaryInfo],
    sources: &SourceIndex,
) -> Result<Vec<Classified>, Error> {
    let by_id: BTreeMap<&str, &BinaryInfo> =
        binaries.iter().map(|b| (b.binary_id.as_str(), b)).collect();
    let mut out = Vec::new();
    for id in ids {
        let derived;
        let binary = match by_id.get(id.binary_id.as_str()) {
            Some(b) => *b,
            None => {
                derived = BinaryInfo::from_binary_id(&id.binary_id);
                &derived
            }
        };
        let source = sources.get(id);
        let placement = policy::classify(config, binary, id, source)?;
        out.push(Classified {
            id: id.clone(),
            placement,
            location: source.map(|s| (s.file.clone(), s.line)),
        });
    }
    Ok(out)
}
