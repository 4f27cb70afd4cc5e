//! Pure text scanning of one Rust source file: test functions (with their module path and
//! line), `/// budget: <tier>` markers in their doc comments, and `mod x;` declarations to follow.
//! A line-based scanner, not a parser: good for the conventional layouts tests use.
//! Property tests are recognised too: `#[test]` inside `proptest! { … }`, `#[proptest]`,
//! `#[quickcheck]` and every `fn` at the top of a `quickcheck! { … }` block.

use crate::model::Framework;

/// A test function found in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundTest {
    /// Module path inside the file plus the fn name (`tests::fast_add`).
    pub path: String,
    /// 1-based line of the `fn`.
    pub line: usize,
    /// Tier named by a `budget: <tier>` doc line, with that line.
    pub marker: Option<(String, usize)>,
    /// The property-testing framework it is written with, if any.
    pub framework: Option<Framework>,
}

/// An out-of-line module declaration (`mod x;`), to be found on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModDecl {
    /// Module path inside the file, including the declared module (`outer::x`).
    pub path: String,
    /// The declared module's name.
    pub name: String,
    /// A `#[path = "…"]` attribute, if any.
    pub explicit_path: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileScan {
    pub tests: Vec<FoundTest>,
    pub mods: Vec<ModDecl>,
}

/// Blanks out what is not code — string and char literal contents (including raw and
/// multi-line strings) and `/* */` comments — keeping every newline, so line numbers stay and
/// nothing inside a literal looks like a test, a module or a brace. `//` comments are kept:
/// doc comments carry the markers.
fn blank_literals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let after_ident = i
            .checked_sub(1)
            .is_some_and(|p| chars[p].is_alphanumeric() || chars[p] == '_');
        i = match c {
            '/' if next == Some('/') => line_comment(&chars, i, &mut out),
            '/' if next == Some('*') => block_comment(&chars, i, &mut out),
            'r' if (next == Some('"') || next == Some('#')) && !after_ident => {
                raw_string(&chars, i, &mut out)
            }
            '"' => string(&chars, i, &mut out),
            '\'' => char_literal(&chars, i, &mut out),
            _ => {
                out.push(c);
                i + 1
            }
        };
    }
    out
}

/// A blank in place of `c`, keeping newlines.
fn blank(c: char) -> char {
    if c == '\n' { '\n' } else { ' ' }
}

/// A `//` comment from `i`, kept; returns where it ends (its newline).
fn line_comment(chars: &[char], mut i: usize, out: &mut String) -> usize {
    while i < chars.len() && chars[i] != '\n' {
        out.push(chars[i]);
        i += 1;
    }
    i
}

/// A `/* */` comment from `i` (nested ones too), blanked; returns the index after it.
fn block_comment(chars: &[char], mut i: usize, out: &mut String) -> usize {
    let mut depth = 0;
    while i < chars.len() {
        if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
            depth += 1;
            out.push_str("  ");
            i += 2;
        } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
            depth -= 1;
            out.push_str("  ");
            i += 2;
            if depth == 0 {
                break;
            }
        } else {
            out.push(blank(chars[i]));
            i += 1;
        }
    }
    i
}

/// `r"…"`, `r#"…"#` (after a `b` too) from `i`: the contents blanked up to the closing quote
/// with as many hashes; a lone `r` stays. Returns the index after it.
fn raw_string(chars: &[char], i: usize, out: &mut String) -> usize {
    let mut j = i + 1;
    let mut hashes = 0;
    while chars.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    if chars.get(j) != Some(&'"') {
        out.push(chars[i]);
        return i + 1;
    }
    out.extend(&chars[i..=j]);
    let mut i = j + 1;
    while i < chars.len() {
        if chars[i] == '"' && (0..hashes).all(|h| chars.get(i + 1 + h) == Some(&'#')) {
            out.push('"');
            out.extend(std::iter::repeat_n('#', hashes));
            return i + 1 + hashes;
        }
        out.push(blank(chars[i]));
        i += 1;
    }
    i
}

/// A `"…"` string from `i`, its contents (escapes included) blanked. Returns the index after it.
fn string(chars: &[char], i: usize, out: &mut String) -> usize {
    out.push('"');
    let mut i = i + 1;
    while i < chars.len() && chars[i] != '"' {
        if chars[i] == '\\' {
            out.push(' ');
            i += 1;
        }
        if i < chars.len() {
            out.push(blank(chars[i]));
            i += 1;
        }
    }
    if i < chars.len() {
        out.push('"');
        i += 1;
    }
    i
}

/// A char literal from `i` (`'x'`, `'\n'`, `'\u{7b}'`) blanked inside; a lifetime (`'a`) stays.
/// Returns the index after it.
fn char_literal(chars: &[char], i: usize, out: &mut String) -> usize {
    let end = if chars.get(i + 1) == Some(&'\\') {
        (i + 2..chars.len().min(i + 12)).find(|&k| chars[k] == '\'')
    } else if chars.get(i + 2) == Some(&'\'') {
        Some(i + 2)
    } else {
        None
    };
    match end {
        Some(end) => {
            out.push('\'');
            for &inner in &chars[i + 1..end] {
                out.push(blank(inner));
            }
            out.push('\'');
            end + 1
        }
        None => {
            out.push(chars[i]);
            i + 1
        }
    }
}

/// The code part of a line: up to a `//` comment.
fn code_only(line: &str) -> &str {
    line.find("//").map_or(line, |i| &line[..i])
}

/// The identifier after `keyword` (as a whole word) in `code`, with what follows it.
/// Raw identifiers keep their `r#`, as `module_path!()` and libtest do.
fn ident_after<'a>(code: &'a str, keyword: &str) -> Option<(&'a str, &'a str)> {
    let mut offset = 0;
    while let Some(found) = code[offset..].find(keyword) {
        let idx = offset + found;
        let before_ok = !code[..idx]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        let after = &code[idx + keyword.len()..];
        if before_ok && after.starts_with(char::is_whitespace) {
            let name = after.trim_start();
            let body = name.strip_prefix("r#").unwrap_or(name);
            let end = body
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(body.len());
            if end == 0 {
                return None;
            }
            let len = end + (name.len() - body.len());
            return Some((&name[..len], &name[len..]));
        }
        offset = idx + keyword.len();
    }
    None
}

/// What a test attribute says: `Some(None)` for `#[test]`, `#[tokio::test]`,
/// `#[test_log::test]` (with or without arguments), `Some(Some(framework))` for
/// `#[quickcheck]` and `#[proptest]` (test-strategy), `None` for anything else.
fn test_attribute(attr: &str) -> Option<Option<Framework>> {
    let inner = attr
        .trim_start_matches("#[")
        .trim_end_matches(']')
        .split('(')
        .next()
        .unwrap_or("")
        .trim();
    let last = inner.rsplit("::").next().unwrap_or(inner);
    match last {
        "test" => Some(None),
        "quickcheck" => Some(Some(Framework::Quickcheck)),
        "proptest" => Some(Some(Framework::Proptest)),
        _ => None,
    }
}

/// The framework whose macro block starts on this line: `proptest! {`, `quickcheck! {`, with
/// or without a crate path (not their `macro_rules!` definitions).
fn framework_block(code: &str) -> Option<Framework> {
    let code = code.trim_start();
    let name = code.split('!').next()?.trim();
    if !code.contains('!') || name.contains(char::is_whitespace) {
        return None;
    }
    let last = name.rsplit("::").next().unwrap_or(name);
    Framework::parse(last)
}

/// The value of a `#[path = "…"]` attribute in the original source text.
fn path_value(original: &str) -> Option<String> {
    let at = original.find("#[path")?;
    let rest = original[at + "#[path".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let rest = rest.strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

/// Where a leading `#[…]` attribute ends (the index after its `]`), if on this line.
fn attribute_end(code: &str, depth: &mut i32) -> Option<usize> {
    for (i, c) in code.char_indices() {
        match c {
            '[' => *depth += 1,
            ']' => {
                *depth -= 1;
                if *depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

fn marker(doc: &str) -> Option<String> {
    let rest = doc.trim().strip_prefix("budget:")?;
    let tier = rest.split_whitespace().next()?;
    Some(tier.trim_end_matches(['.', ',']).to_string())
}

/// An attribute as seen in the scanned code, with the original text of its first line.
struct Attr {
    code: String,
    original: String,
}

/// The scanner's state between lines.
#[derive(Default)]
struct Scanner {
    result: FileScan,
    /// Inline modules: (name, brace depth at which their body is).
    modules: Vec<(String, usize)>,
    depth: usize,
    docs: Vec<(String, usize)>,
    attrs: Vec<Attr>,
    /// A `#[…]` spanning lines: its text so far and its bracket depth.
    open_attr: Option<(Attr, i32)>,
    pending_inline_mod: Option<String>,
    /// Property-test macro blocks: (framework, brace depth of their body).
    blocks: Vec<(Framework, usize)>,
    pending_block: Option<Framework>,
}

impl Scanner {
    /// Takes the attributes that start (or end) `rest`; returns the code after them, or `None`
    /// when the line is used up by an attribute still open.
    fn attributes<'a>(&mut self, mut rest: &'a str, original: &str) -> Option<&'a str> {
        if let Some((mut attr, mut attr_depth)) = self.open_attr.take() {
            match attribute_end(rest, &mut attr_depth) {
                Some(end) => {
                    attr.code.push_str(&rest[..end]);
                    self.attrs.push(attr);
                    rest = rest[end..].trim_start();
                }
                None => {
                    attr.code.push_str(rest);
                    self.open_attr = Some((attr, attr_depth));
                    return None;
                }
            }
        }
        if rest.starts_with("//") {
            return Some(rest);
        }
        while rest.starts_with("#[") || rest.starts_with("#![") {
            let inner = rest.starts_with("#![");
            let mut attr_depth = 0;
            let attr = |code: &str| Attr {
                code: code.to_string(),
                original: original.to_string(),
            };
            match attribute_end(rest, &mut attr_depth) {
                Some(end) => {
                    if !inner {
                        self.attrs.push(attr(&rest[..end]));
                    }
                    rest = rest[end..].trim_start();
                }
                None => {
                    self.open_attr = Some((attr(rest), attr_depth));
                    rest = "";
                }
            }
        }
        Some(rest)
    }

    fn module_path(&self, name: &str) -> String {
        let mut parts: Vec<&str> = self.modules.iter().map(|(m, _)| m.as_str()).collect();
        parts.push(name);
        parts.join("::")
    }

    /// The item that starts on line `line_no` (its code): a test fn, a `mod`, a macro block.
    fn item(&mut self, code: &str, line_no: usize) {
        let in_block = self
            .blocks
            .last()
            .filter(|(_, d)| *d == self.depth)
            .map(|(f, _)| *f);
        if let Some(framework) = framework_block(code) {
            self.pending_block = Some(framework);
        } else if let Some((name, _)) = ident_after(code, "fn") {
            let by_attribute = self.attrs.iter().find_map(|a| test_attribute(&a.code));
            // In `quickcheck! { … }` every fn is a test; in `proptest! { … }` the #[test] ones.
            let is_test = by_attribute.is_some() || in_block == Some(Framework::Quickcheck);
            if is_test {
                let marker = self
                    .docs
                    .iter()
                    .find_map(|(d, l)| marker(d).map(|tier| (tier, *l)));
                let path = self.module_path(name);
                self.result.tests.push(FoundTest {
                    path,
                    line: line_no,
                    marker,
                    framework: by_attribute.flatten().or(in_block),
                });
            }
        } else if let Some((name, after)) = ident_after(code, "mod") {
            if after.trim_start().starts_with(';') {
                let explicit_path = self
                    .attrs
                    .iter()
                    .filter(|a| a.code.starts_with("#[path"))
                    .find_map(|a| path_value(&a.original));
                let path = self.module_path(name);
                self.result.mods.push(ModDecl {
                    path,
                    name: name.to_string(),
                    explicit_path,
                });
            } else {
                self.pending_inline_mod = Some(name.to_string());
            }
        }
    }

    /// Follows the braces of `code`: modules and macro blocks open and close with them.
    fn braces(&mut self, code: &str) {
        for c in code.chars() {
            match c {
                '{' => {
                    self.depth += 1;
                    if let Some(name) = self.pending_inline_mod.take() {
                        self.modules.push((name, self.depth));
                    }
                    if let Some(framework) = self.pending_block.take() {
                        self.blocks.push((framework, self.depth));
                    }
                }
                '}' => {
                    if self.modules.last().is_some_and(|(_, d)| *d == self.depth) {
                        self.modules.pop();
                    }
                    if self.blocks.last().is_some_and(|(_, d)| *d == self.depth) {
                        self.blocks.pop();
                    }
                    self.depth = self.depth.saturating_sub(1);
                }
                _ => {}
            }
        }
    }
}

/// Scans one file's text.
pub fn scan(text: &str) -> FileScan {
    let mut s = Scanner::default();
    let blanked = blank_literals(text);
    for (index, (line, original)) in blanked.lines().zip(text.lines()).enumerate() {
        let line_no = index + 1;
        let trimmed = line.trim();
        if s.open_attr.is_none() {
            if let Some(doc) = trimmed.strip_prefix("///") {
                s.docs.push((doc.to_string(), line_no));
                continue;
            }
            if trimmed.starts_with("//") || trimmed.is_empty() {
                // Comments and blank lines between attributes and their item keep both.
                continue;
            }
        }
        let Some(rest) = s.attributes(trimmed, original) else {
            continue;
        };
        let code = code_only(rest);
        if code.trim().is_empty() {
            // Only attributes here, perhaps with a `// comment` after them: the item follows,
            // and it keeps the attributes and doc comments gathered so far.
            continue;
        }
        s.item(code, line_no);
        s.braces(code);
        s.docs.clear();
        s.attrs.clear();
    }
    s.result
}

#[cfg(test)]
mod literal_tests;
#[cfg(test)]
mod property_tests;
#[cfg(test)]
mod tests;
