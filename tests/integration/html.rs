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

/// What each rendered page holds: each SVG's laid-out size, how many text marks, tables and
/// scripts; measured by one probe page that frames them all (one browser start), with what
/// the browser logged.
fn rendered(pages: &[&Path]) -> (Vec<serde_json::Value>, String) {
    let dir = tempfile::tempdir().unwrap();
    let frames: String = pages
        .iter()
        .map(|p| {
            format!(
                "<iframe src=\"file://{}\" style=\"width:1100px;height:4000px\"></iframe>",
                p.display()
            )
        })
        .collect();
    let probe = dir.path().join("probe.html");
    std::fs::write(
        &probe,
        format!(
            "<!DOCTYPE html><html><body>{frames}<pre id=\"out\">pending</pre><script>\
             window.onload = () => {{\
               const all = [...document.querySelectorAll('iframe')].map(f => {{\
                 const d = f.contentDocument;\
                 const svgs = [...d.querySelectorAll('svg')].map(s => {{ const r = s.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; }});\
                 return {{svgs, texts: d.querySelectorAll('svg text').length, tables: d.querySelectorAll('table').length, scripts: d.querySelectorAll('script').length, title: d.title}};\
               }});\
               document.getElementById('out').textContent = JSON.stringify(all);\
             }};</script></body></html>"
        ),
    )
    .unwrap();
    let (dom, log) = headless(&["--dump-dom", &format!("file://{}", probe.display())]);
    let start =
        dom.find("<pre id=\"out\">").expect("the probe rendered") + "<pre id=\"out\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let text = dom[start..end].replace("&quot;", "\"");
    let seen: Vec<serde_json::Value> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (seen, log)
}

/// Renders the `(page, charts)` pages and checks each: its charts laid out at least 400 px
/// wide and 100 px high, no script, nothing fetched, no console message; a screenshot of the
/// first is left next to it.
fn check_pages(pages: &[(&Path, usize)]) -> Vec<serde_json::Value> {
    for (page, _) in pages {
        let html = std::fs::read_to_string(page).unwrap();
        for fetch in [
            "src=\"http",
            "href=\"http",
            "src='http",
            "@import",
            "url(http",
            "<script",
        ] {
            assert!(!html.contains(fetch), "{} has `{fetch}`", page.display());
        }
    }
    let paths: Vec<&Path> = pages.iter().map(|(p, _)| *p).collect();
    let (seen, log) = rendered(&paths);
    assert!(!log.contains("CONSOLE"), "console messages:\n{log}");
    for ((page, charts), s) in pages.iter().zip(&seen) {
        let svgs = s["svgs"].as_array().unwrap();
        assert!(svgs.len() >= *charts, "{}: {s}", page.display());
        for svg in svgs {
            let (w, h) = (svg[0].as_u64().unwrap(), svg[1].as_u64().unwrap());
            assert!(
                w >= 400 && h >= 100,
                "{}: a chart of {w}×{h}: {s}",
                page.display()
            );
        }
        assert_eq!(s["scripts"], 0, "{s}");
    }
    let shot = pages[0].0.with_extension("png");
    let (_, log) = headless(&[
        &format!("--screenshot={}", shot.display()),
        "--window-size=1100,2400",
        &format!("file://{}", pages[0].0.display()),
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
    // The demo workspace's real run (its JUnit), judged in the workspace: locations and
    // markers as a run gives them, without building it again.
    let fx = Fixture::new("demo");
    let junit = repo_root().join("tests/data/junit-demo.xml");
    let out = tempfile::tempdir().unwrap();
    let page = out.path().join("report.html");
    let run = fx.run(&[
        "report",
        "--from",
        junit.to_str().unwrap(),
        "--mode",
        "dev",
        "--format",
        "html",
        "-o",
        page.to_str().unwrap(),
    ]);
    run.assert_code(0);
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

    // The trend page, from a recorded run with a test at 95 % of its budget (near-budget).
    let repo = Repo::new("plain");
    let xml = crate::history::junit(&[("app::it", vec![("unit_near".to_string(), 0.950)])]);
    crate::history::commit_and_record(&repo, &xml, "near");
    let trend = out.path().join("trend.html");
    repo.budget(&["trend", "--format", "html", "-o", trend.to_str().unwrap()])
        .assert_code(0);

    let seen = check_pages(&[(&page, 2), (&bench, 1), (&trend, 1)]);
    assert!(
        seen[0]["texts"].as_u64().unwrap() >= 10,
        "labelled marks: {}",
        seen[0]
    );
    assert!(seen[0]["tables"].as_u64().unwrap() >= 2, "{}", seen[0]);
    let trend_html = std::fs::read_to_string(&trend).unwrap();
    assert!(
        trend_html.contains("near-budget"),
        "the trend page names the finding"
    );
}
