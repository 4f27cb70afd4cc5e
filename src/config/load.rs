//! Reading budget.toml: TOML with positions, unknown keys as warnings, NUL bytes refused,
//! every problem placed at its file:line:col.

use std::ops::Range;
use std::path::Path;

use super::unknown::Unknown;
use super::{Config, ConfigError, Loaded, raw, resolve};

/// Loads `path` if it exists; the defaults (strict phase, three tiers) if it does not.
pub fn load_or_default(path: &Path) -> Result<Loaded, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text, path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Loaded {
            config: defaults(),
            warnings: Vec::new(),
        }),
        Err(source) => Err(ConfigError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The configuration used when there is no `budget.toml`.
pub fn defaults() -> Config {
    resolve::resolve(raw::RawConfig::default()).expect("the built-in defaults are valid")
}

/// Parses and validates `text`, naming `path` in errors and warnings.
pub fn parse(text: &str, path: &Path) -> Result<Loaded, ConfigError> {
    let mut ignored = Vec::new();
    let raw: raw::RawConfig = {
        let root = toml::de::DeTable::parse(text).map_err(|e| toml_error(e, text, path))?;
        if let Some(span) = find_nul(root.get_ref()) {
            return Err(located(
                path,
                text,
                span,
                "a NUL character (U+0000) is not allowed: no name, filter or text can hold one"
                    .into(),
            ));
        }
        let de = toml::Deserializer::from(root);
        serde_ignored::deserialize(de, |p| ignored.push(Unknown::from_ignored(&p)))
            .map_err(|e| toml_error(e, text, path))?
    };
    let spans = resolve::exception_spans(&raw);
    let capability_spans = resolve::capability_spans(&raw);
    let mut config = resolve::resolve(raw).map_err(|inv| {
        let span = inv.span.unwrap_or(0..0);
        located(path, text, span, inv.message)
    })?;
    for (exception, span) in config.exceptions.iter_mut().zip(spans) {
        exception.line = line_col(text, span.start).0;
    }
    for (capability, span) in config.capabilities.iter_mut().zip(capability_spans) {
        capability.line = line_col(text, span.start).0;
    }
    config.source = Some(path.to_path_buf());
    let warnings = unknown_key_warnings(&ignored, text, path);
    Ok(Loaded { config, warnings })
}

/// `budget.toml:3:1: unknown key `tiers.unit.budgte` ignored (did you mean `budget`?)`.
fn unknown_key_warnings(ignored: &[Unknown], text: &str, path: &Path) -> Vec<String> {
    if ignored.is_empty() {
        return Vec::new();
    }
    // The document parsed once already, so it parses again; the first copy went to serde.
    let root = toml::de::DeTable::parse(text).ok();
    ignored
        .iter()
        .map(|unknown| {
            let place = match root.as_ref().and_then(|r| unknown.span(r.get_ref())) {
                Some(span) => {
                    let (line, column) = line_col(text, span.start);
                    format!("{}:{line}:{column}", path.display())
                }
                None => path.display().to_string(),
            };
            let hint = match unknown.suggestion() {
                Some(key) => format!(" (did you mean `{key}`?)"),
                None => String::new(),
            };
            format!("{place}: unknown key `{}` ignored{hint}", unknown.dotted())
        })
        .collect()
}

/// The span of the first key or string holding a NUL: TOML forbids the raw byte, but a
/// `\u0000` escape would otherwise reach test names, filters and nextest's arguments.
fn find_nul(table: &toml::de::DeTable<'_>) -> Option<Range<usize>> {
    fn in_value(value: &toml::Spanned<toml::de::DeValue<'_>>) -> Option<Range<usize>> {
        match value.get_ref() {
            toml::de::DeValue::String(s) if s.contains('\0') => Some(value.span()),
            toml::de::DeValue::Array(items) => items.iter().find_map(in_value),
            toml::de::DeValue::Table(t) => find_nul(t),
            _ => None,
        }
    }
    table.iter().find_map(|(key, value)| {
        if key.get_ref().contains('\0') {
            Some(key.span())
        } else {
            in_value(value)
        }
    })
}

fn toml_error(e: toml::de::Error, text: &str, path: &Path) -> ConfigError {
    let span = e.span().unwrap_or(0..0);
    located(path, text, span, e.message().to_string())
}

fn located(path: &Path, text: &str, span: Range<usize>, message: String) -> ConfigError {
    let (line, column) = line_col(text, span.start);
    let source_line = text.lines().nth(line - 1).unwrap_or("");
    let width = span
        .end
        .saturating_sub(span.start)
        .clamp(1, source_line.len().saturating_sub(column - 1).max(1));
    let snippet = format!(
        "{line:>4} | {source_line}\n     | {}{}",
        " ".repeat(column - 1),
        "^".repeat(width)
    );
    ConfigError::Invalid {
        path: path.to_path_buf(),
        line,
        column,
        message,
        snippet,
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}
