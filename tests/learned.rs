//! Learned boilerplate through the real binary: `clean` learns each site's repeated lines,
//! `learn` writes them as rule files that `clean --rules` applies, per site only.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

fn unscrape() -> Command {
    Command::cargo_bin("unscrape").unwrap()
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A word of its own for document `i` (not digits: learned lines are compared digits masked).
fn word(i: usize) -> String {
    const SYLLABLES: [&str; 8] = ["ka", "lo", "mi", "nu", "pe", "ra", "si", "tu"];
    format!("{}{}", SYLLABLES[i % 8], SYLLABLES[(i / 8) % 8])
}

const QUOTE: &str = "“We will rebuild the harbour together, stone by stone,” the mayor said.";

/// The clean article of document `i` of a site, blank lines between paragraphs.
fn article(site: &str, i: usize) -> String {
    let w = word(i);
    let mut text = format!(
        "The {w} council backs the {site} harbour plan\n\nThe council voted to fund the {w} \
         dock after a long debate about the cost of the harbour works, officials said.\n\nThe \
         {w} works start next spring and should last two years, the engineers added.\n"
    );
    if site == "alpha" && i % 4 == 1 {
        text.push_str(&format!("\n{QUOTE}\n"));
    }
    text
}

/// Two sites of 12 pages each, with their own chrome around the articles.
fn corpus(root: &Path) {
    for i in 0..12 {
        let year = 2014 + i;
        write(
            &root.join(format!("alpha/{i:02}.txt")),
            &format!(
                "Alpha Times | World | Sport\r\n\r\n{}\r\nGet the Alpha Times newsletter\r\n\
                 Alpha Times weekly edition, issue {year}\r\n",
                article("alpha", i).replace('\n', "\r\n")
            ),
        );
        let extra = if i == 3 {
            "Get the Alpha Times newsletter\n"
        } else {
            ""
        };
        write(
            &root.join(format!("beta/{i:02}.txt")),
            &format!(
                "Beta\u{a0}Daily\n\n{}\n{extra}Beta Daily, {} {year}\n",
                article("beta", i),
                ["Monday", "Tuesday"][i % 2]
            ),
        );
    }
}

fn expected(site: &str, i: usize) -> String {
    let extra = if site == "beta" && i == 3 {
        "\nGet the Alpha Times newsletter\n"
    } else {
        ""
    };
    format!("{}{extra}", article(site, i))
}

fn read_tree(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if !path.ends_with("summary.json") {
                files.push((
                    path.strip_prefix(root).unwrap().to_path_buf(),
                    fs::read(&path).unwrap(),
                ));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn clean_learns_each_sites_chrome_and_keeps_shared_prose() {
    let tmp = TempDir::new().unwrap();
    corpus(&tmp.path().join("in"));
    let out = tmp.path().join("out");
    unscrape()
        .args(["clean", "--quiet", "--out"])
        .arg(&out)
        .arg(tmp.path().join("in"))
        .assert()
        .success();
    for site in ["alpha", "beta"] {
        for i in 0..12 {
            let got = fs::read_to_string(out.join(format!("{site}/{i:02}.txt"))).unwrap();
            assert_eq!(got, expected(site, i), "{site}/{i:02}");
        }
    }
    let edits = fs::read_to_string(tmp.path().join("out.report/edits.jsonl")).unwrap();
    assert!(edits.contains("\"rule\":\"learned.alpha.v1\""));
    assert!(edits.contains("in 12 of 12 documents of group 'alpha'"));
    // The quote three articles share is reported, not removed.
    let suspects = fs::read_to_string(tmp.path().join("out.report/suspects.jsonl")).unwrap();
    assert_eq!(suspects.matches("stone by stone").count(), 3, "{suspects}");
    let summary: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(tmp.path().join("out.report/summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(summary["survey"]["groups"], 2);
    assert!(summary["survey"]["line_entries"].as_u64().unwrap() > 0);
}

#[test]
fn learned_output_is_identical_for_any_jobs() {
    let tmp = TempDir::new().unwrap();
    corpus(&tmp.path().join("in"));
    let mut trees = Vec::new();
    for jobs in ["1", "2"] {
        let out = tmp.path().join(format!("out{jobs}"));
        unscrape()
            .args(["clean", "--quiet", "--jobs", jobs, "--out"])
            .arg(&out)
            .arg(tmp.path().join("in"))
            .assert()
            .success();
        trees.push((
            read_tree(&out),
            read_tree(&tmp.path().join(format!("out{jobs}.report"))),
        ));
        let rules = tmp.path().join(format!("rules{jobs}"));
        unscrape()
            .args(["learn", "--quiet", "--jobs", jobs, "--rules-out"])
            .arg(&rules)
            .arg(tmp.path().join("in"))
            .assert()
            .success();
        trees.push((read_tree(&rules), Vec::new()));
    }
    assert!(trees[0] == trees[2], "clean --jobs 1 and --jobs 2 differ");
    assert!(trees[1] == trees[3], "learn --jobs 1 and --jobs 2 differ");
}

#[test]
fn learn_writes_rules_that_clean_applies_per_site() {
    let tmp = TempDir::new().unwrap();
    corpus(&tmp.path().join("in"));
    let rules = tmp.path().join("learned");
    unscrape()
        .args(["learn", "--rules-out"])
        .arg(&rules)
        .arg(tmp.path().join("in"))
        .assert()
        .success()
        .stderr(predicates::str::contains("24 documents in 2 groups"));
    let alpha = fs::read_to_string(rules.join("alpha.toml")).unwrap();
    assert!(alpha.contains("id = \"learned.alpha.v1\""), "{alpha}");
    assert!(alpha.contains("group = \"alpha\""));
    assert!(alpha.contains("# in 12 of 12 documents, e.g. alpha/00.txt"));
    assert!(
        alpha.contains("\"Alpha Times weekly edition, issue 2014\""),
        "{alpha}"
    );
    assert!(alpha.contains("\"Get the Alpha Times newsletter\""));
    // The shared quote is written switched off, for review.
    let review = &alpha[alpha.find("learned.alpha.review.v1").expect("review rule")..];
    assert!(review.contains("enabled = false") && review.contains("stone by stone"));
    assert!(fs::read_to_string(rules.join("beta.toml"))
        .unwrap()
        .contains("\"Beta Daily\""));

    // The learned files as ordinary rules, with learning itself switched off: same output.
    let off = tmp.path().join("off");
    write(
        &off.join("off.toml"),
        "stage = \"boilerplate\"\n[[rule]]\nid = \"learned-boilerplate.v1\"\nenabled = false\n",
    );
    unscrape()
        .arg("rules")
        .arg("--rules")
        .arg(&rules)
        .assert()
        .success()
        .stdout(predicates::str::contains("group alpha"));
    let out = tmp.path().join("out");
    unscrape()
        .args(["clean", "--quiet", "--out"])
        .arg(&out)
        .arg("--rules")
        .arg(&rules)
        .arg("--rules")
        .arg(&off)
        .arg(tmp.path().join("in"))
        .assert()
        .success();
    for site in ["alpha", "beta"] {
        for i in 0..12 {
            let got = fs::read_to_string(out.join(format!("{site}/{i:02}.txt"))).unwrap();
            // Beta's page 3 keeps the line alpha's rule lists: the rule is alpha's only.
            assert_eq!(got, expected(site, i), "{site}/{i:02}");
        }
    }
    // Years in other years match too (digits masked), a new page of the site included.
    write(
        &tmp.path().join("new/alpha/x.txt"),
        "Alpha Times | World | Sport\n\nA new story.\n\nAlpha Times weekly edition, issue 2031\n",
    );
    let out2 = tmp.path().join("out2");
    unscrape()
        .args(["clean", "--quiet", "--out"])
        .arg(&out2)
        .arg("--rules")
        .arg(&rules)
        .arg("--rules")
        .arg(&off)
        .arg(tmp.path().join("new"))
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(out2.join("alpha/x.txt")).unwrap(),
        "A new story.\n"
    );
}

#[test]
fn grouping_can_be_switched_off_or_made_one_group() {
    let tmp = TempDir::new().unwrap();
    corpus(&tmp.path().join("in"));
    // One group for everything: beta's page 3 line is in 13 of 24 documents now: learned.
    let out = tmp.path().join("out");
    unscrape()
        .args(["clean", "--quiet", "--group-by", "none", "--out"])
        .arg(&out)
        .arg(tmp.path().join("in"))
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(out.join("beta/03.txt")).unwrap(),
        article("beta", 3)
    );
    let edits = fs::read_to_string(tmp.path().join("out.report/edits.jsonl")).unwrap();
    assert!(edits.contains("learned.all.v1"));
    unscrape()
        .args(["clean", "--group-by", "site", "--out"])
        .arg(&out)
        .arg(tmp.path().join("in"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown grouping 'site'"));
}

#[test]
fn learn_refuses_when_learning_is_switched_off() {
    let tmp = TempDir::new().unwrap();
    corpus(&tmp.path().join("in"));
    let off = tmp.path().join("off");
    write(
        &off.join("off.toml"),
        "stage = \"boilerplate\"\n[[rule]]\nid = \"learned-boilerplate.v1\"\nenabled = false\n",
    );
    unscrape()
        .args(["learn", "--rules-out"])
        .arg(tmp.path().join("r"))
        .arg("--rules")
        .arg(&off)
        .arg(tmp.path().join("in"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("switched off"));
}

/// JSONL records are learned from too, grouped by the host of their `url` with
/// `--group-by host`: each site's chrome lands in its own rule file.
#[test]
fn learn_reads_jsonl_records_grouped_by_host() {
    let tmp = TempDir::new().unwrap();
    let mut records = String::new();
    let topics = [
        "bridges",
        "schools",
        "parks",
        "buses",
        "libraries",
        "markets",
    ];
    for (i, topic) in topics.iter().enumerate() {
        for (host, chrome) in [
            (
                "https://www.harbor.example/a/",
                "Harbor Gazette Weekend Edition",
            ),
            (
                "https://news.other.example/b/",
                "Other Courier Morning Digest",
            ),
        ] {
            let text = format!(
                "{chrome}\n\nThe council spent the whole evening on {topic}, and nobody left early.\n\nResidents asked about {topic} again before the vote.\n"
            );
            records.push_str(&format!(
                "{}\n",
                serde_json::json!({"id": format!("{i}"), "text": text, "url": format!("{host}{i}")})
            ));
        }
    }
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("crawl.jsonl"), records).unwrap();
    let rules = tmp.path().join("rules");
    unscrape()
        .args(["learn", "--quiet", "--group-by", "host", "--rules-out"])
        .arg(&rules)
        .arg(&input)
        .assert()
        .success();
    let mut files: Vec<String> = fs::read_dir(&rules)
        .unwrap()
        .map(|e| fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files
        .iter()
        .any(|f| f.contains("harbor.example") && f.contains("Harbor Gazette Weekend Edition")));
    assert!(files
        .iter()
        .any(|f| f.contains("other.example") && f.contains("Other Courier Morning Digest")));
    assert!(!files.iter().any(|f| f.contains("nobody left early")));
}

/// The review page lists a learned rule's lines with their document counts; a line rejected
/// there is exported as `keep`, and the next run keeps exactly that line and still removes the
/// others, whether the lines are learned by the run's survey or come from `unscrape learn`.
#[test]
fn a_learned_line_rejected_in_review_is_kept_by_the_next_run() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in");
    corpus(&input);
    let clean = |name: &str, rules: &[&Path]| -> PathBuf {
        let out = tmp.path().join(name);
        let mut cmd = unscrape();
        cmd.args(["clean", "--quiet", "--out"]).arg(&out);
        for dir in rules {
            cmd.arg("--rules").arg(dir);
        }
        cmd.arg(&input).assert().success();
        out
    };
    let first = clean("first", &[]);
    // The page's data: the rule in summary.js names its lines file.
    let data = |name: &str, call: &str| -> serde_json::Value {
        let text = fs::read_to_string(tmp.path().join("first.report/review").join(name)).unwrap();
        let body = text
            .strip_prefix(&format!("unscrapeReview.{call}("))
            .and_then(|p| p.strip_suffix(");\n"))
            .unwrap();
        let body = body
            .split_once(", ")
            .filter(|_| call == "lines")
            .map_or(body, |(_, b)| b);
        serde_json::from_str(body).unwrap()
    };
    let page = data("summary.js", "summary");
    let file = page["rules"]["learned.alpha.v1"]["learned"]["file"]
        .as_u64()
        .unwrap();
    let rules = data(&format!("lines-{file:06}.js"), "lines");
    let lines = &rules["learned.alpha.v1"]["list"];
    assert_eq!(
        page["rules"]["learned.alpha.v1"]["learned"]["count"],
        lines.as_array().unwrap().len()
    );
    let listed: Vec<(&str, u64)> = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["text"].as_str().unwrap(),
                l["documents"].as_u64().unwrap(),
            )
        })
        .collect();
    // Every chrome line of the site, each in all 12 pages (the years differ: one line).
    for line in [
        "Alpha Times | World | Sport",
        "Get the Alpha Times newsletter",
        "Alpha Times weekly edition, issue 2014",
    ] {
        assert!(listed.contains(&(line, 12)), "{line} not in {listed:?}");
    }
    assert_eq!(
        fs::read_to_string(first.join("alpha/05.txt")).unwrap(),
        expected("alpha", 5)
    );

    // The override as the page exports it (tests/browser/review.mjs checks the page's file).
    let review = tmp.path().join("review");
    write(
        &review.join("review-boilerplate.toml"),
        "stage = \"boilerplate\"\n\n[[rule]]\nid = \"learned.alpha.v1\"\n\
         keep = [\n  \"Get the Alpha Times newsletter\",\n]\n",
    );
    let kept = |site: &str, i: usize| {
        if site == "alpha" {
            format!("{}\nGet the Alpha Times newsletter\n", article(site, i))
        } else {
            expected(site, i)
        }
    };
    let check = |out: &Path, report: &str| {
        for site in ["alpha", "beta"] {
            for i in 0..12 {
                let got = fs::read_to_string(out.join(format!("{site}/{i:02}.txt"))).unwrap();
                assert_eq!(got, kept(site, i), "{report}: {site}/{i:02}");
            }
        }
        // The other lines of the rule still go.
        let edits = fs::read_to_string(tmp.path().join(report).join("edits.jsonl")).unwrap();
        let learned: Vec<&str> = edits
            .lines()
            .filter(|l| {
                l.contains("\"rule\":\"learned.alpha") && l.contains("\"status\":\"applied\"")
            })
            .collect();
        assert_eq!(learned.len(), 24, "{report}: two lines in each of 12 pages");
        assert!(
            learned.iter().all(|l| !l.contains("newsletter")),
            "{report}"
        );
    };
    let second = clean("second", &[&review]);
    check(&second, "second.report");

    // The same with the rule files of `unscrape learn` (the override merges into their rule),
    // with and without the run's own learning.
    let rules = tmp.path().join("learned");
    unscrape()
        .args(["learn", "--quiet", "--rules-out"])
        .arg(&rules)
        .arg(&input)
        .assert()
        .success();
    let off = tmp.path().join("off");
    write(
        &off.join("off.toml"),
        "stage = \"boilerplate\"\n[[rule]]\nid = \"learned-boilerplate.v1\"\nenabled = false\n",
    );
    check(&clean("third", &[&rules, &review]), "third.report");
    check(&clean("fourth", &[&review, &rules, &off]), "fourth.report");
    unscrape()
        .args(["rules", "--rules"])
        .arg(&rules)
        .arg("--rules")
        .arg(&review)
        .assert()
        .success()
        .stdout(predicates::str::contains("group alpha, keeps 1 line(s)"));

    // A whole learned rule rejected on the page (`enabled = false`): the site keeps its lines,
    // the other site is cleaned as before.
    let reject = tmp.path().join("reject");
    write(
        &reject.join("review-boilerplate.toml"),
        "stage = \"boilerplate\"\n\n[[rule]]\nid = \"learned.alpha.v1\"\nenabled = false\n",
    );
    let out = clean("fifth", &[&reject]);
    let page = fs::read_to_string(out.join("alpha/05.txt")).unwrap();
    assert!(page.starts_with("Alpha Times | World | Sport\n"), "{page}");
    assert!(page.contains("Get the Alpha Times newsletter\nAlpha Times weekly edition"));
    assert_eq!(
        fs::read_to_string(out.join("beta/05.txt")).unwrap(),
        expected("beta", 5)
    );
}
