//! Corpus statistics through the real binary: `learn --stats-out` writes them, and `clean
//! --stats-from` on one document at a time (standard input, text or JSONL) gives the same text
//! as `clean` over the whole corpus.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

fn unscrape() -> Command {
    Command::cargo_bin("unscrape").unwrap()
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A made-up word of its own for page `i` (learned lines are compared with digits masked).
fn word(i: usize) -> String {
    const SYLLABLES: [&str; 8] = ["ba", "de", "fi", "go", "hu", "ja", "ke", "lo"];
    format!("{}{}", SYLLABLES[i % 8], SYLLABLES[(i / 8) % 8])
}

/// Page `i` of a site: its chrome (repeated on every page, in no default rule) around an
/// article of its own.
fn page(site: &str, i: usize) -> String {
    let w = word(i);
    format!(
        "{site} Gazette | Local | Weather | Letters\n\n\
         The {w} bridge reopens after repairs\n\n\
         Engineers finished work on the {w} bridge on Tuesday, and traffic \
         returned to the old road by the evening, the council said.\n\n\
         Residents of {w} had waited two years for the crossing to reopen.\n\n\
         Read more from the {site} Gazette archive\n\
         {site} Gazette, printed by the {site} Press Cooperative\n"
    )
}

const SITES: [&str; 2] = ["Northfield", "Easton"];
const PAGES: usize = 9;

#[test]
fn stdin_with_learned_statistics_matches_a_run_over_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    for site in SITES {
        for i in 0..PAGES {
            write(
                &corpus.join(site.to_lowercase()).join(format!("{i}.txt")),
                &page(site, i),
            );
        }
    }
    let stats = dir.path().join("corpus.stats");
    unscrape()
        .args(["learn", "--quiet", "--stats-out"])
        .arg(&stats)
        .arg(&corpus)
        .assert()
        .success();
    let out = dir.path().join("out");
    unscrape()
        .args(["clean", "--quiet", "--no-html", "--out"])
        .arg(&out)
        .arg(&corpus)
        .assert()
        .success();
    // The same run with the statistics instead of its own survey: the same files.
    let out2 = dir.path().join("out2");
    unscrape()
        .args(["clean", "--quiet", "--no-html", "--out"])
        .arg(&out2)
        .arg("--stats-from")
        .arg(&stats)
        .arg(&corpus)
        .assert()
        .success();

    let mut differs_without = 0;
    for site in SITES {
        let group = site.to_lowercase();
        for i in 0..PAGES {
            let relative = format!("{group}/{i}.txt");
            let whole = fs::read_to_string(out.join(&relative)).unwrap();
            assert_eq!(
                fs::read_to_string(out2.join(&relative)).unwrap(),
                whole,
                "{relative}"
            );
            // The corpus run removed the site's chrome it learned.
            assert!(!whole.contains("Gazette |"), "{relative}: {whole}");
            assert!(whole.contains("bridge reopens"), "{relative}: {whole}");
            let input = page(site, i);
            let alone = unscrape()
                .args(["clean", "-", "--stats-from"])
                .arg(&stats)
                .args(["--group", &group])
                .write_stdin(input.clone())
                .assert()
                .success()
                .get_output()
                .stdout
                .clone();
            assert_eq!(String::from_utf8(alone).unwrap(), whole, "{relative}");
            let without = unscrape()
                .args(["clean", "-"])
                .write_stdin(input)
                .assert()
                .success()
                .get_output()
                .stdout
                .clone();
            differs_without += usize::from(String::from_utf8(without).unwrap() != whole);
        }
    }
    assert_eq!(
        differs_without,
        SITES.len() * PAGES,
        "without statistics standard input learns nothing"
    );
}

#[test]
fn jsonl_on_stdin_with_statistics_matches_the_file_run() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let mut records = String::new();
    for i in 0..PAGES {
        for site in SITES {
            let record = serde_json::json!({
                "id": format!("{site}-{i}"),
                "text": page(site, i),
                "url": format!("https://www.{}.example/news/{i}", site.to_lowercase()),
            });
            records.push_str(&record.to_string());
            records.push('\n');
        }
    }
    write(&corpus.join("feed.jsonl"), &records);
    let stats = dir.path().join("feed.stats");
    unscrape()
        .args(["learn", "--quiet", "--group-by", "host", "--stats-out"])
        .arg(&stats)
        .arg(&corpus)
        .assert()
        .success();
    let out = dir.path().join("out");
    unscrape()
        .args([
            "clean",
            "--quiet",
            "--no-html",
            "--group-by",
            "host",
            "--out",
        ])
        .arg(&out)
        .arg(&corpus)
        .assert()
        .success();
    let whole = fs::read_to_string(out.join("feed.jsonl")).unwrap();
    assert!(!whole.contains("Gazette |"), "chrome learned per host");
    let streamed = unscrape()
        .args([
            "clean",
            "-",
            "--format",
            "jsonl",
            "--group-by",
            "host",
            "--stats-from",
        ])
        .arg(&stats)
        .write_stdin(records.clone())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8(streamed).unwrap(), whole);
    // Statistics learned by folder do not fit a run grouped by host: refused, not ignored.
    unscrape()
        .args(["clean", "-", "--format", "jsonl", "--stats-from"])
        .arg(&stats)
        .write_stdin(records)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "learned with --group-by host; clean with the same --group-by",
        ));
}

#[test]
fn bad_statistics_files_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let bogus = dir.path().join("bogus.stats");
    fs::write(&bogus, "not statistics\n").unwrap();
    unscrape()
        .args(["clean", "-", "--stats-from"])
        .arg(&bogus)
        .write_stdin("Some text.\n")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "is not an unscrape statistics file",
        ));
    unscrape()
        .args(["clean", "-", "--stats-from"])
        .arg(dir.path().join("missing.stats"))
        .write_stdin("Some text.\n")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot read statistics"));
    // learn needs somewhere to write.
    unscrape()
        .args(["learn", "samples/input"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--rules-out"));
}

#[test]
fn resuming_with_other_statistics_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    for i in 0..4 {
        write(
            &corpus.join(format!("site/{i}.txt")),
            &page("Northfield", i),
        );
    }
    let learn = |name: &str, inputs: &[&Path]| {
        let path = dir.path().join(name);
        unscrape()
            .args(["learn", "--quiet", "--stats-out"])
            .arg(&path)
            .args(inputs)
            .assert()
            .success();
        path
    };
    let all = learn("all.stats", &[&corpus]);
    let one = learn("one.stats", &[&corpus.join("site/0.txt")]);
    let out = dir.path().join("out");
    let clean = |stats: &Path| {
        let mut cmd = unscrape();
        cmd.args(["clean", "--quiet", "--no-html", "--resume", "--out"])
            .arg(&out)
            .arg("--stats-from")
            .arg(stats)
            .arg(&corpus);
        cmd
    };
    clean(&all).assert().success();
    clean(&all).assert().success();
    clean(&one)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("rerun without --resume"));
}
