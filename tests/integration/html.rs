//! `--format html` in real headless Chromium (Debian's `chromium`; `.ci/run` installs it): the
//! page renders, its charts are present and have a size, nothing is fetched, nothing is logged
//! to the console, and a screenshot is taken.

use std::path::Path;
use std::process::Command;

use crate::support::*;

fn chromium() -> &'static str {
    for name in ["chromium", "chromium-browser"] {
        if Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return name;
        }
    }
    panic!("no chromium on PATH: install Debian's `chromium` package (.ci/run does)")
}

/// Chromium, headless, on `args`: (stdout, stderr).
fn headless(args: &[&str]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium())
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--allow-file-access-from-files",
            "--enable-logging=stderr",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// What the rendered page holds: each SVG's laid-out size, how many text marks, tables,
/// scripts; measured by a probe page that frames it.
fn rendered(page: &Path) -> serde_json::Value {
    let dir = page.parent().unwrap();
    let probe = dir.join("probe.html");
    std::fs::write(
        &probe,
        format!(
            "<!DOCTYPE html><html><body><iframe id=\"f\" src=\"{}\" style=\"width:1100px;height:4000px\"></iframe>\
             <pre id=\"out\">pending</pre><script>\
             document.getElementById('f').onload = () => {{\
               const d = document.getElementById('f').contentDocument;\
               const svgs = [...d.querySelectorAll('svg')].map(s => {{ const r = s.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; }});\
               document.getElementById('out').textContent = JSON.stringify({{svgs, texts: d.querySelectorAll('svg text').length, tables: d.querySelectorAll('table').length, scripts: d.querySelectorAll('script').length, title: d.title}});\
             }};</script></body></html>",
            page.file_name().unwrap().to_str().unwrap()
        ),
    )
    .unwrap();
    let (dom, _) = headless(&["--dump-dom", &format!("file://{}", probe.display())]);
    let start =
        dom.find("<pre id=\"out\">").expect("the probe rendered") + "<pre id=\"out\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let text = dom[start..end].replace("&quot;", "\"");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Renders `page` and checks it: `charts` SVGs at least 400 px wide and 100 px high, no
/// script, no console message, nothing fetched; the screenshot is left next to it.
pub fn check_page(page: &Path, charts: usize) -> serde_json::Value {
    let html = std::fs::read_to_string(page).unwrap();
    for fetch in [
        "src=\"http",
        "href=\"http",
        "src='http",
        "@import",
        "url(http",
    ] {
        assert!(!html.contains(fetch), "the page fetches `{fetch}`");
    }
    let seen = rendered(page);
    let svgs = seen["svgs"].as_array().unwrap();
    assert!(svgs.len() >= charts, "{seen}");
    for s in svgs {
        let (w, h) = (s[0].as_u64().unwrap(), s[1].as_u64().unwrap());
        assert!(w >= 400 && h >= 100, "a chart of {w}×{h}: {seen}");
    }
    assert_eq!(seen["scripts"], 0, "{seen}");
    let shot = page.with_extension("png");
    let (_, log) = headless(&[
        &format!("--screenshot={}", shot.display()),
        "--window-size=1100,2400",
        &format!("file://{}", page.display()),
    ]);
    assert!(!log.contains("CONSOLE"), "console messages:\n{log}");
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "{} bytes",
        png.len()
    );
    seen
}

/// budget: e2e
#[test]
fn html_reports_render_in_headless_chromium() {
    let fx = Fixture::new("demo");
    let out = tempfile::tempdir().unwrap();
    let page = out.path().join("report.html");
    let run = fx.run(&[
        "report",
        "--mode",
        "dev",
        "--format",
        "html",
        "-o",
        page.to_str().unwrap(),
    ]);
    run.assert_code(0);
    let seen = check_page(&page, 2);
    assert!(
        seen["texts"].as_u64().unwrap() >= 10,
        "labelled marks: {seen}"
    );
    assert!(seen["tables"].as_u64().unwrap() >= 2, "{seen}");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("demo-core tests::parses_large_fixture"),
        "the slowest test is named"
    );

    // The bench page, from criterion results.
    let criterion = repo_root().join("tests/data/criterion/base");
    let bench = out.path().join("bench.html");
    fx.run(&[
        "bench",
        "--from",
        criterion.to_str().unwrap(),
        "--no-baseline",
        "--mode",
        "dev",
        "--format",
        "html",
        "-o",
        bench.to_str().unwrap(),
    ])
    .assert_code(0);
    check_page(&bench, 1);
}
