//! The generated `.config/nextest.toml` overrides re-encode classification precedence as
//! nextest's "first matching override wins". This ties the two: over a matrix of binaries,
//! names, markers and frameworks, the first override matching a test (evaluated by a small
//! evaluator of exactly the filterset forms the generator writes) carries the budget
//! `policy::classify` gives it.

use super::nextest_config::overrides;
use crate::config;
use crate::model::{BinaryInfo, Framework, SourceTest, TestId};
use crate::policy::classify;

/// Evaluates the generator's filterset forms: `a | b`, `a & b`, `( … )`, `all()`, `none()`,
/// `kind(K)`, `binary_id(=B)`, `test(=T)` and `test(/RE/)`.
struct Eval<'a> {
    text: &'a [u8],
    at: usize,
    binary: &'a BinaryInfo,
    name: &'a str,
}

impl Eval<'_> {
    fn eat(&mut self, s: &str) -> bool {
        if self.text[self.at..].starts_with(s.as_bytes()) {
            self.at += s.len();
            true
        } else {
            false
        }
    }

    fn expr(&mut self) -> bool {
        let mut value = self.term();
        while self.eat(" | ") {
            value |= self.term();
        }
        value
    }

    fn term(&mut self) -> bool {
        let mut value = self.factor();
        while self.eat(" & ") {
            value &= self.factor();
        }
        value
    }

    /// Text up to an unescaped `)`, unescaped as nextest does.
    fn literal(&mut self) -> String {
        let rest = std::str::from_utf8(&self.text[self.at..]).unwrap();
        let mut out = String::new();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                ')' => {
                    self.at += i + 1;
                    return out;
                }
                '\\' => match chars.next().unwrap().1 {
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'u' => {
                        let hex: String = chars
                            .by_ref()
                            .map(|(_, c)| c)
                            .skip(1)
                            .take_while(|c| *c != '}')
                            .collect();
                        out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                    }
                    other => out.push(other),
                },
                c => out.push(c),
            }
        }
        panic!("unterminated matcher in {rest}");
    }

    fn factor(&mut self) -> bool {
        if self.eat("(") {
            let v = self.expr();
            assert!(self.eat(")"), "unbalanced at {}", self.at);
            v
        } else if self.eat("all()") {
            true
        } else if self.eat("none()") {
            false
        } else if self.eat("kind(") {
            self.literal() == self.binary.kind.as_str()
        } else if self.eat("binary_id(=") {
            self.literal() == self.binary.binary_id
        } else if self.eat("test(=") {
            self.literal() == self.name
        } else if self.eat("test(/") {
            let rest = std::str::from_utf8(&self.text[self.at..]).unwrap();
            let end = rest.find("/)").expect("regex end");
            let pattern = &rest[..end];
            self.at += end + 2;
            thread_local! {
                static COMPILED: std::cell::RefCell<std::collections::HashMap<String, regex::Regex>> =
                    Default::default();
            }
            COMPILED.with(|c| {
                c.borrow_mut()
                    .entry(pattern.to_string())
                    .or_insert_with(|| regex::Regex::new(pattern).unwrap())
                    .is_match(self.name)
            })
        } else {
            panic!(
                "unknown form at {:?}",
                std::str::from_utf8(&self.text[self.at..]).unwrap()
            );
        }
    }
}

fn matches(filter: &str, binary: &BinaryInfo, name: &str) -> bool {
    let mut e = Eval {
        text: filter.as_bytes(),
        at: 0,
        binary,
        name,
    };
    let v = e.expr();
    assert_eq!(e.at, filter.len(), "trailing text in {filter}");
    v
}

/// 567 placements each evaluated against every override: 0.2 s on a quiet machine, over 3 s
/// when this shared VM stalls, so it takes the integration tier's budget.
/// budget: integration
#[test]
fn first_matching_override_agrees_with_classify() {
    let config = config::parse(
        "[tiers.property]\nbudget = \"60s\"\nframeworks = [\"proptest\", \"quickcheck\"]\n\
         [tiers.slowunit]\nbudget = \"3s\"\nprefixes = [\"unit_slow_\"]\n\
         [[exception]]\ntest = \"app::unit mod::plain\"\nbudget = \"5s\"\ntier = \"e2e\"\n\
         [[exception]]\ntest = \"app::checks weird::paren(x)\"\nbudget = \"7s\"\n",
        std::path::Path::new("budget.toml"),
    )
    .unwrap()
    .config;
    let binaries: Vec<BinaryInfo> = [
        "app",
        "app::bin/tool",
        "app::unit",
        "app::integration",
        "app::e2e",
        "app::checks",
        "other-lib",
    ]
    .into_iter()
    .map(BinaryInfo::from_binary_id)
    .collect();
    let names = [
        "plain",
        "mod::plain",
        "unit_fast",
        "mod::unit_slow_parse",
        "e2e_full",
        "unit_mod::plain",
        "integration_x",
        "weird::paren(x)",
        "weird::comma,sep / slash",
    ];
    let markers = [None, Some("unit"), Some("e2e")];
    let frameworks = [None, Some(Framework::Proptest), Some(Framework::Quickcheck)];

    let mut cases = Vec::new();
    for b in &binaries {
        for name in names {
            for marker in markers {
                for framework in frameworks {
                    cases.push((b, name, marker, framework));
                }
            }
        }
    }
    let mut checked = 0;
    for (binary, name, marker, framework) in cases {
        let id = TestId::new(&binary.binary_id, name);
        let marks: Vec<(TestId, String)> = marker
            .map(|m| (id.clone(), m.to_string()))
            .into_iter()
            .collect();
        let fws: Vec<(TestId, Framework)> =
            framework.map(|f| (id.clone(), f)).into_iter().collect();
        let source = SourceTest {
            file: "x.rs".into(),
            line: 1,
            marker: marker.map(|m| (m.to_string(), 1)),
            framework,
        };
        let placed = classify(&config, binary, &id, Some(&source)).unwrap();
        let generated = overrides(&config, &binaries, &marks, &fws);
        let first = generated
            .iter()
            .find(|o| matches(&o.filter, binary, name))
            .unwrap_or_else(|| panic!("no override matches {id}"));
        assert_eq!(
            first.period, placed.budget,
            "{id} (marker {marker:?}, framework {framework:?}): classify says {} by {}, \
             the first override is `{}` ({})",
            placed.tier, placed.rule, first.label, first.filter
        );
        checked += 1;
    }
    assert_eq!(checked, 7 * 9 * 3 * 3);
    // The evaluator itself: a form it does not know is refused, not read as a match.
    let unit = BinaryInfo::from_binary_id("app::unit");
    assert!(matches(
        "(binary_id(=app::unit) & test(=a\\)b))",
        &unit,
        "a)b"
    ));
    assert!(!matches("kind(lib) | test(/^x$/)", &unit, "y"));
    assert!(std::panic::catch_unwind(|| matches("package(app)", &unit, "x")).is_err());
}
