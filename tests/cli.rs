//! The real binary on real-looking input: outputs, report, exit codes, bad input.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

fn unscrape() -> Command {
    Command::cargo_bin("unscrape").unwrap()
}

const ARTICLE: &str =
    "Council approves new bus routes\n\nThe city council voted on Tuesday to add \
four bus routes, a plan residents had pushed for since spring.\n\nThe routes start in March, \
officials said.\n";

fn write(path: &Path, text: impl AsRef<[u8]>) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A word of its own for document `i` (digits would be masked by learned boilerplate, which
/// would then rightly take lines every page shares for site chrome).
fn word(i: usize) -> String {
    const SYLLABLES: [&str; 8] = ["ka", "lo", "mi", "nu", "pe", "ra", "si", "tu"];
    format!("{}{}", SYLLABLES[i % 8], SYLLABLES[(i / 8) % 8])
}

/// [`ARTICLE`] made unique to document `i`.
fn article(i: usize) -> String {
    ARTICLE
        .replace("bus routes", &format!("{} routes", word(i)))
        .replace("The routes", &format!("The {} routes", word(i)))
}

/// A small corpus: nested folders, chrome to remove, CRLF, an empty file, a non-text file.
fn corpus(root: &Path) {
    for i in 0..40 {
        let site = root
            .join(format!("site{}", i % 4))
            .join(format!("{i:03}.txt"));
        let mut text = format!(
            "Breaking News\r\n\r\n{}\u{a0}\nParagraph {} ends here.  \n",
            article(i),
            word(i)
        );
        if i % 3 == 0 {
            text.push_str("\n\nSource link\n\nLeave a Reply\nBack to top button\n");
        }
        write(&site, text);
    }
    write(&root.join("empty.txt"), "");
    write(&root.join("logo.png"), [0x89, b'P', b'N', b'G', 0, 0, 0]);
}

fn read_tree(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walk(root)
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(root).unwrap().to_path_buf(),
                fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn summary(report: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(report.join("summary.json")).unwrap()).unwrap()
}

#[test]
fn cleans_a_folder_into_mirrored_paths_with_a_report() {
    let tmp = TempDir::new().unwrap();
    corpus(&tmp.path().join("in"));
    let out = tmp.path().join("out");
    unscrape()
        .arg("clean")
        .arg(tmp.path().join("in"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("41 documents"));
    let cleaned = fs::read_to_string(out.join("site0/000.txt")).unwrap();
    assert_eq!(
        cleaned,
        format!("{}\nParagraph kaka ends here.\n", article(0))
    );
    assert_eq!(fs::read(out.join("empty.txt")).unwrap(), b"");
    assert!(
        !out.join("logo.png").exists(),
        "non-text files are not taken from folders"
    );

    let report = tmp.path().join("out.report");
    let s = summary(&report);
    assert_eq!(s["documents"], 41);
    assert_eq!(s["skipped_files"], 1);
    assert_eq!(s["errors"], 0);
    assert_eq!(s["encodings"]["UTF-8"], 41);
    for rule in [
        "footer.source-link.v1",
        "footer.comments.v1",
        "chrome.back-to-top.v1",
    ] {
        assert_eq!(s["edits_by_rule"][rule]["applied"], 14, "{rule}");
    }
    assert_eq!(s["edits_by_rule"]["header.breaking-news.v1"]["applied"], 40);
    let edits = fs::read_to_string(report.join("edits.jsonl")).unwrap();
    let first: serde_json::Value = serde_json::from_str(edits.lines().next().unwrap()).unwrap();
    for field in [
        "doc", "stage", "rule", "line", "before", "after", "reason", "status",
    ] {
        assert!(first.get(field).is_some(), "edits.jsonl lacks {field}");
    }
    let applied = edits
        .lines()
        .filter(|l| l.contains("\"status\":\"applied\""))
        .count();
    assert_eq!(applied as u64, s["edits"]["applied"].as_u64().unwrap());
    let diff = fs::read_to_string(report.join("diffs/site0/000.txt.diff")).unwrap();
    assert!(diff.contains("-Breaking News"), "{diff}");
    assert!(
        !report.join("diffs/empty.txt.diff").exists(),
        "unchanged documents get no diff"
    );
}

#[test]
fn output_and_report_are_identical_for_any_jobs() {
    let tmp = TempDir::new().unwrap();
    corpus(&tmp.path().join("in"));
    write(&tmp.path().join("in/bad.txt"), b"abc\0def");
    let mut trees = Vec::new();
    for jobs in ["1", "2"] {
        let out = tmp.path().join(format!("out{jobs}"));
        unscrape()
            .args(["clean", "--quiet", "--jobs", jobs, "--out"])
            .arg(&out)
            .arg(tmp.path().join("in"))
            .assert()
            .code(1);
        let report = tmp.path().join(format!("out{jobs}.report"));
        let mut s = summary(&report);
        s["elapsed_seconds"] = 0.into();
        trees.push((
            read_tree(&out),
            read_tree(&report.join("diffs")),
            s,
            fs::read(report.join("edits.jsonl")).unwrap(),
            fs::read(report.join("errors.jsonl")).unwrap(),
        ));
    }
    assert!(trees[0] == trees[1], "--jobs 1 and --jobs 2 differ");
}

#[test]
fn cleaning_cleaned_output_changes_nothing() {
    let tmp = TempDir::new().unwrap();
    let once = tmp.path().join("once");
    let twice = tmp.path().join("twice");
    unscrape()
        .args(["clean", "samples/input", "-q", "--out"])
        .arg(&once)
        .assert()
        .success();
    unscrape()
        .arg("clean")
        .arg(&once)
        .args(["-q", "--out"])
        .arg(&twice)
        .assert()
        .success();
    assert_eq!(read_tree(&once), read_tree(&twice));
    assert_eq!(
        summary(&tmp.path().join("twice.report"))["edits"]["applied"],
        0
    );
}

#[test]
fn stdin_is_cleaned_to_stdout() {
    unscrape()
        .args(["clean", "-"])
        .write_stdin("Breaking News\r\nTitle\r\n\r\n\r\nBody text.\r\nSource link\r\n")
        .assert()
        .success()
        .stdout("Title\n\nBody text.\n");
}

#[test]
fn stdin_with_a_report_folder() {
    let tmp = TempDir::new().unwrap();
    let report = tmp.path().join("r");
    unscrape()
        .args(["clean", "-", "-q", "--report"])
        .arg(&report)
        .write_stdin("Title\nBody.\nComments\n")
        .assert()
        .success()
        .stdout("Title\nBody.\n");
    assert_eq!(
        summary(&report)["edits_by_rule"]["footer.comments.v1"]["applied"],
        1
    );
    assert!(report.join("diffs/stdin.diff").exists());
}

#[test]
fn legacy_encodings_are_decoded_and_reported() {
    let tmp = TempDir::new().unwrap();
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("Le café était fermé à Noël, déjà.\n");
    write(&tmp.path().join("in/fr.txt"), bytes);
    let out = tmp.path().join("out");
    unscrape()
        .arg("clean")
        .arg(tmp.path().join("in"))
        .arg("-q")
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(out.join("fr.txt")).unwrap(),
        "Le café était fermé à Noël, déjà.\n"
    );
    assert_eq!(
        summary(&tmp.path().join("out.report"))["encodings"]["windows-1252"],
        1
    );
    let docs = fs::read_to_string(tmp.path().join("out.report/documents.jsonl")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(docs.trim()).unwrap();
    assert_eq!(doc["doc"], "fr.txt");
    assert_eq!(doc["encoding"], "windows-1252");
    assert_eq!(doc["detected"], true);
    assert!(doc["confidence"].as_f64().unwrap() > 0.0);
}

#[test]
fn bad_inputs_are_reported_by_name_and_the_run_goes_on() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in");
    write(&input.join("good.txt"), ARTICLE);
    write(&input.join("binary.txt"), b"\x7fELF\0\0\0\x01binary");
    write(&input.join("huge.txt"), "x".repeat(5000));
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(input.join("missing-target.txt"), input.join("dangling.txt"))
            .unwrap();
        std::os::unix::fs::symlink(&input, input.join("loop")).unwrap();
    }
    let out = tmp.path().join("out");
    let assert = unscrape()
        .arg("clean")
        .arg(&input)
        .arg(tmp.path().join("does-not-exist.txt"))
        .args(["--max-file-size", "4K", "-q", "--out"])
        .arg(&out)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    for needle in [
        "binary.txt: binary file",
        "huge.txt: file is 5000 bytes",
        "does-not-exist.txt: cannot read",
    ] {
        assert!(
            stderr.contains(needle),
            "stderr lacks {needle:?}:\n{stderr}"
        );
    }
    #[cfg(unix)]
    {
        assert!(stderr.contains("dangling.txt"), "{stderr}");
        assert!(stderr.contains("directory loop"), "{stderr}");
    }
    assert_eq!(fs::read_to_string(out.join("good.txt")).unwrap(), ARTICLE);
    let errors = fs::read_to_string(tmp.path().join("out.report/errors.jsonl")).unwrap();
    assert!(
        errors.contains("binary.txt") && errors.contains("huge.txt"),
        "{errors}"
    );
    let s = summary(&tmp.path().join("out.report"));
    assert_eq!(
        s["errors"].as_u64().unwrap() as usize,
        errors.lines().count()
    );
    assert_eq!(s["documents"], 1);
    assert!(!out.join("binary.txt").exists() && !out.join("huge.txt").exists());
}

#[test]
fn inputs_are_never_modified_and_nothing_is_written_elsewhere() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in");
    corpus(&input);
    let before = read_tree(&input);
    // --out inside the input folder: excluded from the walk, even on a second run.
    let out = input.join("cleaned");
    for _ in 0..2 {
        unscrape()
            .arg("clean")
            .arg(&input)
            .arg("-q")
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
    }
    assert!(
        !out.join("cleaned").exists(),
        "the output folder was walked as input"
    );
    let after: Vec<_> = read_tree(&input)
        .into_iter()
        .filter(|(p, _)| !p.starts_with("cleaned") && !p.starts_with("cleaned.report"))
        .collect();
    assert_eq!(before, after);
    let mut top: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    top.sort();
    assert_eq!(top, ["in"], "nothing written outside --out and its report");
}

#[test]
fn an_output_that_would_overwrite_inputs_is_refused() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in");
    write(&input.join("a.txt"), ARTICLE);
    for out in [input.clone(), tmp.path().to_path_buf()] {
        unscrape()
            .arg("clean")
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("would write over the input"));
    }
    assert_eq!(fs::read_to_string(input.join("a.txt")).unwrap(), ARTICLE);
}

#[test]
fn a_report_folder_of_something_else_is_never_overwritten() {
    let tmp = TempDir::new().unwrap();
    write(&tmp.path().join("in/a.txt"), ARTICLE);
    write(&tmp.path().join("notes/keep.md"), "mine");
    unscrape()
        .arg("clean")
        .arg(tmp.path().join("in"))
        .arg("--out")
        .arg(tmp.path().join("out"))
        .arg("--report")
        .arg(tmp.path().join("notes"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not an unscrape report"));
    assert_eq!(
        fs::read_to_string(tmp.path().join("notes/keep.md")).unwrap(),
        "mine"
    );
}

#[test]
fn a_bad_rule_file_stops_the_run_before_any_work() {
    let tmp = TempDir::new().unwrap();
    write(&tmp.path().join("in/a.txt"), ARTICLE);
    write(
        &tmp.path().join("rules/site.toml"),
        "stage = \"boilerplate\"\n[[rule]]\nid = \"site.promo.v1\"\nreason = \"promo\"\nregex = \"^(Read more\"\n",
    );
    let out = tmp.path().join("out");
    unscrape()
        .arg("clean")
        .arg(tmp.path().join("in"))
        .arg("--rules")
        .arg(tmp.path().join("rules"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("site.toml"))
        .stderr(predicate::str::contains("site.promo.v1"))
        .stderr(predicate::str::contains("invalid regex"));
    assert!(
        !out.exists(),
        "nothing is written when the rules are invalid"
    );
}

#[test]
fn user_rules_add_to_and_switch_off_the_defaults() {
    let tmp = TempDir::new().unwrap();
    write(
        &tmp.path().join("rules/site.toml"),
        "stage = \"boilerplate\"\n\
         [[rule]]\nid = \"site.ledger-inbox.v1\"\nreason = \"Daily Ledger newsletter prompt\"\n\
         exact = [\"Get the latest headlines from The Daily Ledger delivered to your inbox\"]\n\
         [[rule]]\nid = \"header.breaking-news.v1\"\nenabled = false\n",
    );
    unscrape()
        .args(["clean", "-", "--rules"])
        .arg(tmp.path().join("rules"))
        .write_stdin("Breaking News\nStory.\nGet the latest headlines from the Daily Ledger delivered to your inbox\n")
        .assert()
        .success()
        .stdout("Breaking News\nStory.\n");
    unscrape()
        .args(["rules", "--rules"])
        .arg(tmp.path().join("rules"))
        .assert()
        .success()
        .stdout(predicate::str::contains("site.ledger-inbox.v1"))
        .stdout(predicate::str::contains("site.toml"))
        .stdout(predicate::str::contains("header.breaking-news.v1").not());
}

#[test]
fn only_and_skip_select_stages() {
    let input = "Breaking News\r\nStory.\r\n";
    unscrape()
        .args(["clean", "-", "--only", "normalize"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout("Breaking News\nStory.\n");
    unscrape()
        .args(["clean", "-", "--skip", "normalize,glue"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout("Story.\r\n");
    unscrape()
        .args(["clean", "-", "--only", "nonsense"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown stage"));
}

#[test]
fn missing_out_is_a_usage_error() {
    unscrape()
        .args(["clean", "samples/input"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--out"));
}

#[test]
fn rules_lists_every_default_with_its_source() {
    unscrape()
        .arg("rules")
        .assert()
        .success()
        .stdout(predicate::str::contains("footer.source-link.v1"))
        .stdout(predicate::str::contains("embedded:rules/boilerplate.toml"))
        .stdout(predicate::str::contains("normalize.nfc.v1"));
}

/// Found by the controls audit (bench/controls): a short document the rules mistake for
/// chrome ("x" for the "X" share button, "Body." for the footer block of "Source link") is
/// never emptied; chrome alone still goes.
#[test]
fn short_documents_are_not_emptied() {
    for (input, output) in [
        ("x", "x\n"), // the normalize stage adds the final newline
        ("Source link\nBody.\n", "Body.\n"),
        ("Source link\n", ""),
    ] {
        unscrape()
            .args(["clean", "-", "-q"])
            .write_stdin(input)
            .assert()
            .success()
            .stdout(output);
    }
}
