//! HTML input through the real binary: .html/.htm → .txt, extraction edits in the report,
//! metadata in documents.jsonl, and bad pages reported without stopping the run.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

fn unscrape() -> Command {
    Command::cargo_bin("unscrape").unwrap()
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

const PARA: &str = "The city council voted on Tuesday to add four bus routes, a plan residents had pushed for since spring.";

fn news_page(extra_body: &str) -> String {
    format!(
        r##"<!DOCTYPE html><html><head><meta charset="windows-1252"><title>Bus routes | Gazette</title>
<meta property="og:title" content="Council approves new bus routes">
<link rel="canonical" href="https://gazette.example/bus">
<meta name="author" content="Ann Lee"><meta property="article:published_time" content="2024-03-05">
<script>window.x = 1 < 2;</script></head>
<body><nav class="menu"><a href="/">Home</a> <a href="/city">City</a></nav>
<article><h1>Council approves new bus routes</h1><div class="byline">By Ann Lee</div>
<p>{PARA}</p><p>The routes start in March, officials said.<br>Fares stay the same.</p>
<p>Caf&eacute; owners near the depot welcomed the decision. {extra_body}</p>
<div class="share-links"><a href="#">Share</a> <a href="#">Tweet</a></div></article>
<section id="comments"><p>First! This is a great decision for everybody who rides the bus every day.</p></section>
<footer><p>Copyright 2024 Gazette.</p></footer></body></html>"##
    )
}

#[test]
fn html_pages_become_text_files_with_extraction_edits_and_metadata() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    // windows-1252 bytes, as the page declares: "Caf\xE9" would be invalid UTF-8.
    let page = news_page("Prices \u{2014} unchanged.").replace("Caf&eacute;", "Caf\u{e9}");
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&page);
    write(&input.join("a/b/page.html"), &bytes);
    write(&input.join("a/other.htm"), news_page(""));
    write(&input.join("a/notes.txt"), "Plain text stays text.\n");
    let out = dir.path().join("out");
    unscrape()
        .args(["clean", "-q"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();

    let text = fs::read_to_string(out.join("a/b/page.txt")).unwrap();
    assert_eq!(
        text,
        format!(
            "{PARA}\n\nThe routes start in March, officials said.\nFares stay the same.\n\n\
             Caf\u{e9} owners near the depot welcomed the decision. Prices \u{2014} unchanged.\n"
        )
    );
    assert!(out.join("a/other.txt").exists());
    assert!(!out.join("a/b/page.html").exists());
    assert_eq!(
        fs::read_to_string(out.join("a/notes.txt")).unwrap(),
        "Plain text stays text.\n"
    );

    let report = dir.path().join("out.report");
    let docs = fs::read_to_string(report.join("documents.jsonl")).unwrap();
    let line: serde_json::Value = docs
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["doc"] == "a/b/page.html")
        .unwrap();
    assert_eq!(line["encoding"], "windows-1252");
    assert_eq!(line["html"]["title"], "Council approves new bus routes");
    assert_eq!(line["html"]["canonical"], "https://gazette.example/bus");
    assert_eq!(line["html"]["published"], "2024-03-05");
    assert_eq!(line["html"]["author"], "Ann Lee");
    assert_eq!(line["html"]["extraction"], "tree");
    // Text documents carry no html field.
    assert!(docs
        .lines()
        .any(|l| l.contains("\"a/notes.txt\"") && !l.contains("\"html\"")));

    let edits = fs::read_to_string(report.join("edits.jsonl")).unwrap();
    let extract: Vec<serde_json::Value> = edits
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["doc"] == "a/b/page.html" && v["stage"] == "extract")
        .collect();
    let rule_of = |needle: &str| -> String {
        extract
            .iter()
            .find(|v| v["before"].as_str().unwrap().contains(needle))
            .map(|v| v["rule"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("no extract edit removed {needle:?}: {extract:#?}"))
    };
    assert_eq!(rule_of("Home"), "html.nav.v1");
    assert_eq!(rule_of("By Ann Lee"), "html.byline.v1");
    assert_eq!(rule_of("Tweet"), "html.share.v1");
    assert_eq!(rule_of("First!"), "html.comments.v1");
    assert_eq!(rule_of("Copyright"), "html.header-footer.v1");
    // The diff shows the dropped blocks against the rendered page.
    let diff = fs::read_to_string(report.join("diffs/a/b/page.txt.diff")).unwrap();
    assert!(diff.contains("-First! This is a great decision"), "{diff}");
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(report.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["html_documents"], 2);
    assert!(
        summary["edits_by_stage"]["extract"]["applied"]
            .as_u64()
            .unwrap()
            >= 10
    );
}

#[test]
fn skipping_extract_keeps_every_visible_block() {
    let dir = TempDir::new().unwrap();
    write(&dir.path().join("in/p.html"), news_page(""));
    let out = dir.path().join("out");
    unscrape()
        .args(["clean", "-q", "--skip", "extract"])
        .arg(dir.path().join("in"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let text = fs::read_to_string(out.join("p.txt")).unwrap();
    assert!(text.starts_with("Home City\n\nCouncil approves new bus routes\n\nBy Ann Lee\n"));
    assert!(text.contains("First! This is"));
    assert!(!text.contains("window.x"), "scripts are never text");
}

#[test]
fn hostile_pages_are_reported_and_the_run_goes_on() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    write(&input.join("binary.html"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    write(
        &input.join("deep.html"),
        format!(
            "<html><body>{}<p>Deep but fine.</p>{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        ),
    );
    write(
        &input.join("truncated.html"),
        "<html><body><p>Cut off in the mid",
    );
    write(
        &input.join("nobody.html"),
        "<p>No body tag here, just a paragraph.</p>",
    );
    write(&input.join("ok.html"), news_page(""));
    let out = dir.path().join("out");
    let started = std::time::Instant::now();
    unscrape()
        .args(["clean", "-q"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1); // the binary file is an error; everything else is cleaned
    assert!(started.elapsed().as_secs() < 60, "no hang on deep nesting");

    assert_eq!(
        fs::read_to_string(out.join("deep.txt")).unwrap(),
        "Deep but fine.\n"
    );
    assert_eq!(
        fs::read_to_string(out.join("truncated.txt")).unwrap(),
        "Cut off in the mid\n"
    );
    assert_eq!(
        fs::read_to_string(out.join("nobody.txt")).unwrap(),
        "No body tag here, just a paragraph.\n"
    );
    assert!(out.join("ok.txt").exists());
    assert!(!out.join("binary.txt").exists());

    let report = dir.path().join("out.report");
    let errors = fs::read_to_string(report.join("errors.jsonl")).unwrap();
    assert!(errors.contains("binary.html") && errors.contains("binary file"));
    let docs = fs::read_to_string(report.join("documents.jsonl")).unwrap();
    let deep = docs.lines().find(|l| l.contains("\"deep.html\"")).unwrap();
    assert!(deep.contains("\"extraction\":\"tokenizer\""), "{deep}");
    assert!(deep.contains("nested about 100002 deep"), "{deep}");
    let nobody = docs
        .lines()
        .find(|l| l.contains("\"nobody.html\""))
        .unwrap();
    assert!(nobody.contains("no <body> tag"), "{nobody}");
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(report.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["html_tokenizer_only"], 1);
}

#[test]
fn an_html_page_and_a_text_file_of_the_same_name_do_not_overwrite_each_other() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    write(&input.join("page.html"), news_page(""));
    write(&input.join("page.txt"), "The text file.\n");
    let out = dir.path().join("out");
    unscrape()
        .args(["clean", "-q"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1);
    let text = fs::read_to_string(out.join("page.txt")).unwrap();
    assert!(
        text.contains(PARA),
        "the page (first in name order) wrote page.txt"
    );
    let errors = fs::read_to_string(dir.path().join("out.report/errors.jsonl")).unwrap();
    assert!(errors.contains("page.txt") && errors.contains("already wrote"));
}
