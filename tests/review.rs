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

/// Every file under `root`, relative, with its bytes; `summary.json` without its timing.
fn report_tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if name == "progress.jsonl" {
                continue;
            }
            let mut bytes = fs::read(&path).unwrap();
            if name == "summary.json" {
                let mut v: Value = serde_json::from_slice(&bytes).unwrap();
                v["elapsed_seconds"] = 0.into();
                bytes = v.to_string().into_bytes();
            }
            files.push((name, bytes));
        }
    }
    files.sort();
    files
}

/// `clean --resume` ends with a complete review page: the documents the interrupted run
/// finished (read back from the report) and the ones the resumed run cleaned, in order, the
/// same bytes as a run never interrupted, whichever checkpoint the run was stopped after.
#[test]
fn a_resumed_run_writes_the_whole_review_page() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in");
    // Text pages of three sites (learned and rule edits), some with nothing to clean.
    for site in 0..3 {
        for i in 0..260 {
            let text = if i % 9 == 4 {
                format!("Plain page {i} of site {site}.\n")
            } else {
                format!(
                    "Site {site} home · news · sport\n\nBreaking News\n\nStory {i} of site \
                     {site} about the new bus routes and the harbour.\n\nSource link\n"
                )
            };
            write(&input.join(format!("s{site}/p{i:03}.txt")), &text);
        }
    }
    write(&input.join("s1/<b>hostile</b>.txt"), HOSTILE);
    // HTML pages: their text and diff are named page.txt, their id page.html.
    for i in 0..5 {
        write(
            &input.join(format!("h/page{i}.html")),
            &format!(
                "<html><body><nav><a href=/>Home</a> <a href=/x>News</a></nav><article><h1>Title \
                 {i}</h1><p>The council met on day {i} to vote on the new bus routes for the \
                 town, and the vote was close.</p><p>Share this</p></article></body></html>"
            ),
        );
    }
    // JSONL files: records whose diffs follow each other in one diff file, one of them with
    // lines that look like diff headers, one unreadable line, one record without a newline.
    for k in 0..4 {
        let mut records = String::new();
        for r in 0..60 {
            let text = match r % 5 {
                0 => format!("Nothing to do in record {r}.\n"),
                1 => format!("Breaking News\n--- a/j/{k}.jsonl:{}\n+++ b/x\n@@ -1 +1 @@\nStory {r}.\nSource link\n", r + 2),
                2 => format!("Story {r} with a no\u{a0}break space"),
                _ => format!("Breaking News\n\nRecord {r} of file {k} tells a story.\n\nSource link\n"),
            };
            records
                .push_str(&serde_json::json!({ "text": text, "id": format!("r{r}") }).to_string());
            records.push('\n');
            if k == 2 && r == 30 {
                records.push_str("{not json}\n");
            }
        }
        write(&input.join(format!("j/{k}.jsonl")), &records);
    }

    let run = |out: &Path, extra: &[&str]| {
        unscrape()
            .arg("clean")
            .arg(&input)
            .args(["--quiet", "--jobs", "2", "--out"])
            .arg(out)
            .args(extra)
            .assert()
            .code(1); // the unreadable record
    };
    let reference = tmp.path().join("reference");
    run(&reference, &[]);
    let expected = report_tree(&tmp.path().join("reference.report"));
    assert!(expected.iter().any(|(name, _)| name == "index.html"));

    let out = tmp.path().join("out");
    let report = tmp.path().join("out.report");
    run(&out, &[]);
    let progress = fs::read_to_string(report.join("progress.jsonl")).unwrap();
    let lines: Vec<&str> = progress.lines().collect();
    let checkpoints = lines.len() - 1;
    assert!(checkpoints >= 6, "{checkpoints} checkpoints");
    for cut in 1..checkpoints {
        // As a run stopped after checkpoint `cut` leaves its report: no summary, no page.
        let kept: String = lines[..=cut].iter().map(|l| format!("{l}\n")).collect();
        fs::write(report.join("progress.jsonl"), kept).unwrap();
        fs::remove_file(report.join("summary.json")).unwrap();
        fs::remove_file(report.join("index.html")).unwrap();
        fs::remove_dir_all(report.join("review")).unwrap();
        run(&out, &["--resume"]);
        let actual = report_tree(&report);
        assert_eq!(
            expected.iter().map(|f| &f.0).collect::<Vec<_>>(),
            actual.iter().map(|f| &f.0).collect::<Vec<_>>(),
            "after checkpoint {cut}"
        );
        for ((name, a), (_, b)) in expected.iter().zip(&actual) {
            assert!(
                a == b,
                "{name} differs after resuming from checkpoint {cut}"
            );
        }
    }

    // The page's chunks hold every document with edits, in input order, and its summary is
    // the run's.
    let documents: Vec<Value> = fs::read_to_string(report.join("documents.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let with_edits: Vec<(u64, &str)> = documents
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            d["changed"] == true || d["edits"]["applied"] != 0 || d["edits"]["suspect"] != 0
        })
        .map(|(i, d)| (i as u64, d["doc"].as_str().unwrap()))
        .collect();
    let page = data(&report.join("review/summary.js"), "summary");
    assert_eq!(page["reviewed"], with_edits.len() as u64);
    assert_eq!(page["summary"]["documents"], documents.len() as u64);
    let mut listed = Vec::new();
    for c in 0..page["chunks"].as_array().unwrap().len() {
        let docs = data(&report.join(format!("review/chunk-{c:06}.js")), "chunk");
        for doc in docs.as_array().unwrap() {
            assert_eq!(doc["n"], listed.len() as u64);
            let id = doc
                .get("id")
                .unwrap_or(&doc["path"])
                .as_str()
                .unwrap()
                .to_owned();
            if doc["changed"] == true {
                let diff = doc["diff"].as_str().unwrap();
                assert!(diff.starts_with(&format!("--- a/{id}\n")), "{id}: {diff}");
            }
            listed.push((doc["i"].as_u64().unwrap(), id));
        }
    }
    let listed: Vec<(u64, &str)> = listed.iter().map(|(i, id)| (*i, id.as_str())).collect();
    assert_eq!(listed, with_edits);
    assert!(with_edits.len() > 700, "{}", with_edits.len());
}
