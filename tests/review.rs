//! The review page's files as the real binary writes them: present by default, absent with
//! `--no-html`, data that matches `summary.json`, bounded chunks, hostile text escaped.
//! (The page itself is driven in a browser by tests/browser/review.mjs.)

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

fn unscrape() -> Command {
    Command::cargo_bin("unscrape").unwrap()
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// The JSON handed to `unscrapeReview.<call>(…)` by a data file; for chunks, the documents.
fn data(path: &Path, call: &str) -> Value {
    let text = fs::read_to_string(path).unwrap();
    let body = text
        .strip_prefix(&format!("unscrapeReview.{call}("))
        .and_then(|t| t.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("{} is not a {call} call", path.display()));
    if call == "chunk" {
        let (_, docs) = body.split_once(", ").unwrap();
        serde_json::from_str(docs).unwrap()
    } else {
        serde_json::from_str(body).unwrap()
    }
}

fn clean(input: &Path, out: &Path, report: &Path, extra: &[&str]) {
    let mut cmd = unscrape();
    cmd.arg("clean")
        .arg(input)
        .args(["--quiet", "--out"])
        .arg(out)
        .arg("--report")
        .arg(report)
        .args(extra);
    cmd.assert().success();
}

const HOSTILE: &str = "Breaking News\n\nA story with <script>alert(1)</script> and \"><img src=x onerror=alert(2)> in it, and </script> in JSON: {\"a\":\"</script>\"} &amp; more.\n\nSource link\n";

#[test]
fn clean_writes_a_review_page_whose_data_matches_the_summary() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in");
    for i in 0..5 {
        write(
            &input.join(format!("a{i}.txt")),
            &format!("Breaking News\n\nStory {i} is here.\n\nSource link\nBack to top button\n"),
        );
    }
    write(&input.join("plain.txt"), "Nothing to clean here.\n");
    write(&input.join("<b>hostile</b>.txt"), HOSTILE);
    let report = tmp.path().join("report");
    clean(&input, &tmp.path().join("out"), &report, &[]);

    for file in ["index.html", "review/page.js", "review/page.css"] {
        assert!(report.join(file).is_file(), "{file} missing");
    }
    let mut summary: Value =
        serde_json::from_str(&fs::read_to_string(report.join("summary.json")).unwrap()).unwrap();
    let page = data(&report.join("review/summary.js"), "summary");
    // All but the timing, which the page leaves out so its data is the same for any --jobs.
    assert_eq!(page["summary"]["elapsed_seconds"], 0.0);
    summary["elapsed_seconds"] = page["summary"]["elapsed_seconds"].clone();
    assert_eq!(page["summary"], summary, "summary.js carries summary.json");
    // Six documents have edits; the plain one is counted but not listed.
    assert_eq!(page["reviewed"], 6);
    assert_eq!(page["summary"]["documents"], 7);
    let removed: u64 = page["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["documents"].as_u64().unwrap())
        .sum();
    assert_eq!(removed, 7, "every document is in one histogram bar");
    for (id, counts) in summary["edits_by_rule"].as_object().unwrap() {
        let rule = &page["rules"][id];
        assert_eq!(rule["applied"], counts["applied"], "{id}");
        assert_eq!(rule["suspect"], counts["suspect"], "{id}");
    }
    let banner = &page["rules"]["header.breaking-news.v1"];
    assert_eq!(banner["documents"], 6);
    assert_eq!(banner["stage"], "boilerplate");
    assert_eq!(banner["docs"], serde_json::json!([0, 1, 2, 3, 4, 5]));
    assert_eq!(banner["examples"][0]["before"], "Breaking News\n");

    assert_eq!(page["chunks"], serde_json::json!([{"first": 0, "docs": 6}]));
    let docs = data(&report.join("review/chunk-000000.js"), "chunk");
    let docs = docs.as_array().unwrap();
    assert_eq!(docs.len(), 6);
    for (n, doc) in docs.iter().enumerate() {
        assert_eq!(doc["n"], n as u64);
        assert!(doc["diff"].as_str().unwrap().contains("-Breaking News\n"));
    }
    // Input order: "<b>hostile</b>.txt" sorts before the a*.txt files.
    let hostile = &docs[0];
    assert_eq!(hostile["path"], "<b>hostile</b>.txt");
    assert!(hostile["diff"]
        .as_str()
        .unwrap()
        .contains("<script>alert(1)</script>"));
    // …but no data file holds a raw '<', '>' or '&': nothing can close the script it sits in.
    for entry in fs::read_dir(report.join("review")).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("page.")
        {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        for bad in ['<', '>', '&'] {
            assert!(!text.contains(bad), "{} holds {bad:?}", path.display());
        }
    }
}

#[test]
fn no_html_writes_no_page_and_removes_an_old_one() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in");
    write(&input.join("a.txt"), HOSTILE);
    let report = tmp.path().join("report");
    clean(&input, &tmp.path().join("out"), &report, &[]);
    assert!(report.join("index.html").exists());
    clean(&input, &tmp.path().join("out"), &report, &["--no-html"]);
    assert!(!report.join("index.html").exists());
    assert!(!report.join("review").exists());
    assert!(report.join("summary.json").exists() && report.join("edits.jsonl").exists());
}

#[test]
fn documents_are_split_into_bounded_chunks_and_capped() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in");
    for i in 0..450 {
        write(
            &input.join(format!("d{i:04}.txt")),
            &format!("Breaking News\nStory {i}.\n"),
        );
    }
    // One document with more edits than a chunk keeps (a no-break space each).
    let spaced: String = (0..700).map(|i| format!("w{i}\u{a0}")).collect();
    write(&input.join("z.txt"), &format!("{spaced}\n"));
    let report = tmp.path().join("report");
    clean(&input, &tmp.path().join("out"), &report, &[]);
    let page = data(&report.join("review/summary.js"), "summary");
    assert_eq!(page["reviewed"], 451);
    assert_eq!(
        page["chunks"],
        serde_json::json!([
            {"first": 0, "docs": 200},
            {"first": 200, "docs": 200},
            {"first": 400, "docs": 51}
        ])
    );
    let last = data(&report.join("review/chunk-000002.js"), "chunk");
    let z = &last[50];
    assert_eq!(z["path"], "z.txt");
    let edits = z["edits"].as_array().unwrap().len() as u64;
    assert_eq!(edits, 500, "edits kept per document");
    assert_eq!(
        edits + z["edits_left_out"].as_u64().unwrap(),
        page["summary"]["edits"]["applied"].as_u64().unwrap() - 450,
        "the rest are counted"
    );
    assert!(!report.join("review/chunk-000003.js").exists());
}
