//! JSONL corpora through the real binary: formats and compression, untouched fields, bad
//! records, standard-input streaming, shards, and resuming after `kill -9`.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

fn unscrape() -> Command {
    Command::cargo_bin("unscrape").unwrap()
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn zst(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).unwrap()
}

fn unzst(bytes: &[u8]) -> Vec<u8> {
    zstd::decode_all(bytes).unwrap()
}

/// Records in the common layout, with chrome to remove and fields that must survive as they
/// are (odd spacing, escapes, number formats, nested values, key order).
fn records(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        out.push_str(&format!(
            "{{\"id\": \"doc-{i}\", \"text\": \"Breaking News\\r\\n\\r\\nThe council met on day {i} to vote on new bus routes.\\n\\n\\nSource link\\n\", \"score\":1.50e0 , \"tags\":[\"a\\u00e9\",{{\"k\":null}}], \"metadata\": {{\"url\": \"https://example.com/{i}\", \"lang\":\"en\"}}}}\n"
        ));
    }
    out
}

/// A rules folder that switches learned boilerplate off, so a run has no corpus pass when the
/// glue stage is skipped too (a shard's or a stream's survey would see less than a whole run).
fn without_learning(dir: &Path) -> std::path::PathBuf {
    let rules = dir.join("no-learning");
    write(
        &rules.join("learned.toml"),
        "stage = \"boilerplate\"\n[[rule]]\nid = \"learned-boilerplate.v1\"\nenabled = false\n",
    );
    rules
}

/// `line` with its `metadata.unscrape` object cut out, the way it was added.
fn without_stamp(line: &str) -> String {
    // The stamp is the last member of metadata, itself the last member of the record.
    let start = line.find(",\"unscrape\":").expect("stamped");
    assert!(line.ends_with("}}}}"));
    format!("{}}}}}", &line[..start])
}

#[test]
fn jsonl_in_every_compression_keeps_paths_format_and_unknown_fields() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in");
    let plain = records(50);
    write(&input.join("a/plain.jsonl"), &plain);
    write(&input.join("a/gz.jsonl.gz"), gzip(plain.as_bytes()));
    write(&input.join("b/zst.jsonl.zst"), zst(plain.as_bytes()));
    write(&input.join("b/dolma.json.gz"), gzip(plain.as_bytes()));
    write(&input.join("text.txt"), "Breaking News\n\nA story.\n");
    let out = tmp.path().join("out");
    unscrape()
        .arg("clean")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .assert()
        .success();

    let cleaned = fs::read_to_string(out.join("a/plain.jsonl")).unwrap();
    assert_eq!(
        gunzip(&fs::read(out.join("a/gz.jsonl.gz")).unwrap()),
        cleaned.as_bytes()
    );
    assert_eq!(
        unzst(&fs::read(out.join("b/zst.jsonl.zst")).unwrap()),
        cleaned.as_bytes()
    );
    assert_eq!(
        gunzip(&fs::read(out.join("b/dolma.json.gz")).unwrap()),
        cleaned.as_bytes()
    );
    assert_eq!(
        fs::read_to_string(out.join("text.txt")).unwrap(),
        "A story.\n"
    );

    let lines: Vec<&str> = cleaned.lines().collect();
    let originals: Vec<&str> = plain.lines().collect();
    assert_eq!(lines.len(), 50, "one record per input record");
    for (i, (line, original)) in lines.iter().zip(&originals).enumerate() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(
            value["text"],
            format!("The council met on day {i} to vote on new bus routes.\n")
        );
        let stamp = &value["metadata"]["unscrape"];
        assert_eq!(stamp["version"], env!("CARGO_PKG_VERSION"));
        assert!(stamp["rules_digest"].as_str().unwrap().starts_with("xxh3"));
        assert!(stamp["edits"]["boilerplate"]["applied"].as_u64().unwrap() >= 2);
        // Everything but the text value and the stamp is byte for byte the input.
        let text_json = serde_json::to_string(&value["text"]).unwrap();
        let original_text = original.split("\"text\": ").nth(1).unwrap();
        let original_text = &original_text[..original_text.find("\", \"score\"").unwrap() + 1];
        assert_eq!(
            without_stamp(line).replace(&text_json, original_text),
            *original
        );
    }

    // The report names records by file, line and id; all diffs of a file go to one diff.
    let report = tmp.path().join("out.report");
    let documents = fs::read_to_string(report.join("documents.jsonl")).unwrap();
    assert!(documents.contains(
        "{\"doc\":\"a/plain.jsonl:3\",\"file\":\"a/plain.jsonl\",\"record_line\":3,\"record_id\":\"doc-2\","
    ));
    let edits = fs::read_to_string(report.join("edits.jsonl")).unwrap();
    assert!(
        edits.contains("\"file\":\"b/zst.jsonl.zst\",\"record_line\":50,\"record_id\":\"doc-49\"")
    );
    let diff = fs::read_to_string(report.join("diffs/a/plain.jsonl.diff")).unwrap();
    assert_eq!(diff.matches("--- a/a/plain.jsonl:").count(), 50);
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(report.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["documents"], 201);
    assert_eq!(summary["errors"], 0);
}

#[test]
fn bad_records_are_reported_by_file_and_line_and_passed_through() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in");
    let lines = [
        "{\"id\":\"ok-1\",\"text\":\"Fine text.\\n\"}\n",
        "{\"id\":\"../../etc/passwd\",\"text\":\"Breaking News\\n\\nBody.\\n\"}\n",
        "{\"id\":\"broken\",\"text\":\"unterminated\n",
        "{\"id\":\"no-text\",\"body\":\"x\"}\n",
        "{\"id\":7,\"text\":[\"not\",\"a\",\"string\"]}\n",
        "\n",
        "[\"an\",\"array\"]\r\n",
        "{\"id\":\"last\",\"text\":\"Last.\\n\"}",
    ];
    let content: String = lines.concat();
    write(&input.join("bad.jsonl"), &content);
    let full = gzip(records(3000).as_bytes());
    write(&input.join("cut.jsonl.gz"), &full[..full.len() / 2]);
    let full = zst(records(3000).as_bytes());
    write(&input.join("cut.jsonl.zst"), &full[..full.len() / 2]);
    let out = tmp.path().join("out");
    unscrape()
        .arg("clean")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.jsonl:3: malformed JSON"))
        .stderr(predicate::str::contains(
            "bad.jsonl:5: field \"text\" is an array, not a string; passed through unchanged",
        ))
        .stderr(predicate::str::contains("cut.jsonl.gz:"))
        .stderr(predicate::str::contains("truncated or corrupt file?"));

    let cleaned = fs::read_to_string(out.join("bad.jsonl")).unwrap();
    let out_lines: Vec<&str> = cleaned.split_inclusive('\n').collect();
    assert_eq!(out_lines.len(), lines.len());
    for i in [2, 3, 4, 5, 6] {
        assert_eq!(out_lines[i], lines[i], "line {} passed through", i + 1);
    }
    assert!(out_lines[1].starts_with("{\"id\":\"../../etc/passwd\",\"text\":\"Body.\\n\""));
    assert!(out_lines[7].starts_with("{\"id\":\"last\"") && !out_lines[7].ends_with('\n'));

    let report = tmp.path().join("out.report");
    let errors = fs::read_to_string(report.join("errors.jsonl")).unwrap();
    let errors: Vec<serde_json::Value> = errors
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let bad: Vec<(u64, &str)> = errors
        .iter()
        .filter(|e| e["path"].as_str().unwrap().ends_with("bad.jsonl"))
        .map(|e| (e["line"].as_u64().unwrap(), e["id"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(bad, [(3, ""), (4, "no-text"), (5, "7"), (7, "")]);
    for cut in ["cut.jsonl.gz", "cut.jsonl.zst"] {
        let error = errors
            .iter()
            .find(|e| e["path"].as_str().unwrap().ends_with(cut))
            .unwrap_or_else(|| panic!("{cut} reported"));
        assert!(error["line"].as_u64().unwrap() > 1);
        // What could be read was cleaned and written, complete lines only.
        let bytes = fs::read(out.join(cut)).unwrap();
        let text = if cut.ends_with("gz") {
            gunzip(&bytes)
        } else {
            unzst(&bytes)
        };
        let text = String::from_utf8(text).unwrap();
        assert!(
            text.ends_with('\n')
                && text.lines().count() as u64 == error["line"].as_u64().unwrap() - 1
        );
    }
    // Ids never name files: the only diffs are per input file.
    let mut diffs: Vec<String> = walk(&report.join("diffs"))
        .iter()
        .map(|p| p.strip_prefix(&report).unwrap().display().to_string())
        .collect();
    diffs.sort();
    assert_eq!(
        diffs,
        [
            "diffs/bad.jsonl.diff",
            "diffs/cut.jsonl.gz.diff",
            "diffs/cut.jsonl.zst.diff"
        ]
    );
    assert!(!tmp.path().join("etc").exists());
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

#[test]
fn streams_jsonl_from_stdin_to_stdout_in_order() {
    let input = records(3000);
    let output = unscrape()
        .args(["clean", "--format", "jsonl", "-", "--quiet", "--jobs", "2"])
        .write_stdin(gzip(input.as_bytes()))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let output = String::from_utf8(output).unwrap();
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), 3000);
    for (i, line) in lines.iter().enumerate() {
        assert!(line.starts_with(&format!("{{\"id\": \"doc-{i}\", \"text\": \"The council")));
    }
    // The same records as a file give the same bytes (no survey either way with glue and
    // learned boilerplate off).
    let tmp = TempDir::new().unwrap();
    write(&tmp.path().join("in/x.jsonl"), &input);
    unscrape()
        .arg("clean")
        .arg(tmp.path().join("in"))
        .arg("--rules")
        .arg(without_learning(tmp.path()))
        .args(["--skip", "glue", "--quiet", "--out"])
        .arg(tmp.path().join("out"))
        .assert()
        .success();
    let streamed = unscrape()
        .args([
            "clean", "--format", "jsonl", "-", "--skip", "glue", "--rules",
        ])
        .arg(tmp.path().join("no-learning"))
        .write_stdin(input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(streamed, fs::read(tmp.path().join("out/x.jsonl")).unwrap());
}

#[test]
fn stdin_bad_records_exit_1_and_go_to_the_report() {
    let tmp = TempDir::new().unwrap();
    let report = tmp.path().join("report");
    unscrape()
        .args(["clean", "--format", "jsonl", "-", "--report"])
        .arg(&report)
        .write_stdin("{\"text\":\"Hello there.\\n\"}\n{oops}\n{\"text\":\"Bye now.\\n\"}\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "{oops}\n{\"text\":\"Bye now.\\n\"",
        ))
        .stderr(predicate::str::contains("<stdin>:2: malformed JSON"));
    let errors = fs::read_to_string(report.join("errors.jsonl")).unwrap();
    assert!(
        errors.starts_with("{\"path\":\"<stdin>\",\"line\":2,"),
        "{errors}"
    );
    for flag in [["--resume", ""], ["--shard", "0/2"]] {
        let flag: Vec<&str> = flag.into_iter().filter(|f| !f.is_empty()).collect();
        unscrape()
            .args(["clean", "--format", "jsonl", "-"])
            .args(flag)
            .write_stdin("{\"text\":\"x\"}\n")
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("work on files"));
    }
}

#[test]
fn text_and_id_fields_can_be_named() {
    let tmp = TempDir::new().unwrap();
    write(
        &tmp.path().join("in/c4.jsonl"),
        "{\"url\":\"https://a.example/x\",\"content\":\"Breaking News\\n\\nBody.\\n\",\"text\":\"left alone\\n\\n\\n\"}\n",
    );
    unscrape()
        .arg("clean")
        .arg(tmp.path().join("in"))
        .args([
            "--text-field",
            "content",
            "--id-field",
            "url",
            "--quiet",
            "--out",
        ])
        .arg(tmp.path().join("out"))
        .assert()
        .success();
    let line = fs::read_to_string(tmp.path().join("out/c4.jsonl")).unwrap();
    assert!(line.starts_with(
        "{\"url\":\"https://a.example/x\",\"content\":\"Body.\\n\",\"text\":\"left alone\\n\\n\\n\",\"metadata\":{\"unscrape\":"
    ), "{line}");
    let documents = fs::read_to_string(tmp.path().join("out.report/documents.jsonl")).unwrap();
    assert!(documents.contains("\"record_id\":\"https://a.example/x\""));
}

#[test]
fn shards_split_the_files_deterministically_and_completely() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in");
    for i in 0..30 {
        write(&input.join(format!("s{}/f{i}.jsonl", i % 3)), records(2));
        write(&input.join(format!("t/{i}.txt")), format!("Text {i}.\n"));
    }
    let rules = without_learning(tmp.path());
    let run = |out: &Path, shard: Option<&str>| {
        let mut cmd = unscrape();
        // Without glue and learned boilerplate: their survey sees only the shard's files
        // (documented).
        cmd.arg("clean")
            .arg(&input)
            .arg("--out")
            .arg(out)
            .arg("--quiet")
            .arg("--rules")
            .arg(&rules);
        cmd.args(["--skip", "glue"]);
        if let Some(shard) = shard {
            cmd.args(["--shard", shard]);
        }
        cmd.assert().success();
        walk(out)
            .into_iter()
            .map(|p| {
                (
                    p.strip_prefix(out).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    let mut whole = run(&tmp.path().join("all"), None);
    let mut union = Vec::new();
    let mut sizes = Vec::new();
    for i in 0..3 {
        let part = run(&tmp.path().join(format!("p{i}")), Some(&format!("{i}/3")));
        let again = run(&tmp.path().join(format!("q{i}")), Some(&format!("{i}/3")));
        assert_eq!(part.len(), again.len());
        sizes.push(part.len());
        union.extend(part);
    }
    whole.sort();
    union.sort();
    assert_eq!(union, whole, "every file in exactly one shard");
    assert!(sizes.iter().all(|n| *n > 5), "{sizes:?}");
    unscrape()
        .args(["clean", "x", "--out", "y", "--shard", "3/3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a shard"));
}

/// A run killed with SIGKILL mid-way, then finished with `--resume`, gives the same outputs
/// and report (review page included) as a run never interrupted.
#[test]
fn resume_after_kill_9_is_byte_identical() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in");
    for i in 0..24 {
        let mut recs = records(150);
        if i == 5 {
            recs.push_str("{not json}\n");
        }
        write(
            &input.join(format!("j/{i:02}.jsonl.zst")),
            zst(recs.as_bytes()),
        );
    }
    for i in 0..1500 {
        write(
            &input.join(format!("t/{:02}/{i:04}.txt", i % 7)),
            format!("Breaking News\n\nStory {i} about the new bus routes.\n\nSource link\n"),
        );
    }
    write(&input.join("t/logo.png"), [0x89, b'P', b'N', b'G']);

    let args = |out: &Path| {
        vec![
            "clean".to_owned(),
            input.display().to_string(),
            "--out".to_owned(),
            out.display().to_string(),
            "--quiet".to_owned(),
            "--jobs".to_owned(),
            "2".to_owned(),
        ]
    };
    let reference = tmp.path().join("reference");
    unscrape().args(args(&reference)).assert().code(1);

    let out = tmp.path().join("out");
    let bin = assert_cmd::cargo::cargo_bin("unscrape");
    let mut child = std::process::Command::new(&bin)
        .args(args(&out))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let progress = tmp.path().join("out.report/progress.jsonl");
    let started = Instant::now();
    loop {
        let checkpoints = fs::read_to_string(&progress)
            .map(|p| p.lines().count())
            .unwrap_or(0);
        if checkpoints >= 4 {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be killed"
        );
        assert!(started.elapsed() < Duration::from_secs(120));
        std::thread::sleep(Duration::from_millis(2));
    }
    // SIGKILL: no chance to clean up.
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        !tmp.path().join("out.report/summary.json").exists(),
        "the run was interrupted before the end"
    );

    let mut resumed = args(&out);
    resumed.push("--resume".to_owned());
    unscrape().args(&resumed).assert().code(1);

    let tree = |root: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<(PathBuf, Vec<u8>)> = walk(root)
            .into_iter()
            .filter(|p| p.file_name().unwrap() != "progress.jsonl")
            .map(|p| {
                let mut bytes = fs::read(&p).unwrap();
                if p.file_name().unwrap() == "summary.json" {
                    let mut v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                    v["elapsed_seconds"] = 0.into();
                    bytes = v.to_string().into_bytes();
                }
                (p.strip_prefix(root).unwrap().to_path_buf(), bytes)
            })
            .collect();
        files.sort();
        files
    };
    let (expected, actual) = (tree(&reference), tree(&out));
    assert_eq!(expected.len(), actual.len());
    for ((p1, b1), (p2, b2)) in expected.iter().zip(&actual) {
        assert_eq!(p1, p2);
        assert!(b1 == b2, "{} differs after resume", p1.display());
    }
    let report = |root: &Path| tree(root);
    assert_eq!(
        report(&tmp.path().join("reference.report")),
        report(&tmp.path().join("out.report"))
    );

    // A different run cannot resume this one.
    let mut other = resumed.clone();
    other.extend(["--skip".to_owned(), "glue".to_owned()]);
    unscrape()
        .args(&other)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("rerun without --resume"));
}

/// A page in a record: named with --html-field, or marked "format": "html". The extractor keeps
/// the article and drops the navigation; the cleaned text replaces the field in place.
#[test]
fn html_in_a_field_goes_through_the_extractor() {
    let tmp = TempDir::new().unwrap();
    let page = "<html><head><title>T</title></head><body><nav><a href=/>Home</a> <a href=/a>About us</a></nav>\
        <article><h1>Bus routes</h1><p>The council met on Monday to vote on new bus routes for the city.</p>\
        <p>Residents welcomed the plan, which adds three lines.</p></article>\
        <div class=\"share\">Share on Facebook</div></body></html>";
    let escaped = serde_json::to_string(page).unwrap();
    write(
        &tmp.path().join("in/a.jsonl"),
        format!("{{\"id\":\"p1\",\"html\":{escaped},\"text\":\"kept as it is\"}}\n"),
    );
    write(
        &tmp.path().join("in/b.jsonl"),
        format!("{{\"id\":\"p2\",\"text\":{escaped},\"format\":\"html\"}}\n"),
    );
    unscrape()
        .arg("clean")
        .arg(tmp.path().join("in/a.jsonl"))
        .args(["--html-field", "html", "--quiet", "--out"])
        .arg(tmp.path().join("out-a"))
        .assert()
        .success();
    unscrape()
        .arg("clean")
        .arg(tmp.path().join("in/b.jsonl"))
        .args(["--quiet", "--out"])
        .arg(tmp.path().join("out-b"))
        .assert()
        .success();
    for (file, field) in [("out-a/a.jsonl", "html"), ("out-b/b.jsonl", "text")] {
        let line = fs::read_to_string(tmp.path().join(file)).unwrap();
        let record: serde_json::Value = serde_json::from_str(line.trim_end()).unwrap();
        let text = record[field].as_str().unwrap();
        assert!(
            text.contains("The council met on Monday to vote on new bus routes for the city.")
                && text.contains("Residents welcomed the plan"),
            "{file}: {text:?}"
        );
        assert!(
            !text.contains('<') && !text.contains("About us") && !text.contains("Share on"),
            "{file}: {text:?}"
        );
    }
    let a = fs::read_to_string(tmp.path().join("out-a/a.jsonl")).unwrap();
    assert!(a.contains("\"text\":\"kept as it is\""), "{a}");
}
