//! Properties that must hold for any input: idempotence, no panics, tidy output, and no text
//! change without an edit record.

use std::sync::OnceLock;

use proptest::prelude::*;
use unscrape::{Cleaner, Verdict};

/// One cleaner for all cases: building it compiles every rule.
fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(Cleaner::with_defaults)
}

const CHROME: &[&str] = &[
    "Breaking News",
    "Source link",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
    "Back to top button",
    "Comments",
    "WATCH: The president speaks about the economy",
    "Jim Watson | Afp | Getty Images",
    "Photo: Jane Doe/Reuters",
    "Social Media Auto Publish Powered By : XYZScripts.com",
];

const PROSE: &[&str] = &[
    "The council voted on Tuesday to add four bus routes.",
    "A man walks past the station in Paris on Monday.",
    "Officials said the plan would cost $12 million, and readers shared comments online.",
    "“We will share the results,” she said, “as soon as we can.”",
    "Die Stadt plant neue Buslinien für den Winter.",
    "Les habitants ont réclamé ces lignes depuis le printemps.",
    "市议会周二投票通过了新的公交线路。",
    "Source: the ministry's annual report, published in May.",
];

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(PROSE).prop_map(str::to_owned),
        2 => prop::sample::select(CHROME).prop_map(str::to_owned),
        1 => Just(String::new()),
        1 => "[ a-zA-Z.,\u{a0}\u{200b}\t]{0,40}",
    ]
}

fn document() -> impl Strategy<Value = String> {
    (prop::collection::vec(
        (
            line(),
            prop::sample::select(&["\n", "\r\n", "  \n", "\n\n"][..]),
        ),
        0..30,
    ))
    .prop_map(|lines| lines.into_iter().map(|(l, end)| l + end).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn cleaning_twice_changes_nothing(text in document()) {
        let cleaner = cleaner();
        let once = cleaner.clean_text("doc", &text);
        let twice = cleaner.clean_text("doc", &once.doc.text);
        prop_assert_eq!(&twice.doc.text, &once.doc.text);
        prop_assert_eq!(twice.applied(), 0, "second pass edits: {:?}", twice.records);
    }

    #[test]
    fn output_is_tidy(text in document()) {
        let out = cleaner().clean_text("doc", &text).doc.text;
        prop_assert!(out.is_empty() || (out.ends_with('\n') && !out.ends_with("\n\n")));
        prop_assert!(!out.starts_with('\n'));
        prop_assert!(!out.contains("\n\n\n") && !out.contains('\r') && !out.contains('\u{a0}'), "untidy: {:?}", out);
    }

    #[test]
    fn no_change_without_an_applied_record(text in document()) {
        let cleaned = cleaner().clean_text("doc", &text);
        let applied = cleaned.records.iter().any(|r| r.status == Verdict::Applied);
        prop_assert_eq!(applied, cleaned.doc.text != cleaned.original);
        for record in &cleaned.records {
            prop_assert!(!record.reason.starts_with("not applied ("), "applier rejected: {:?}", record);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..3000)) {
        let cleaned = cleaner().clean_bytes("doc", unscrape::document::Origin::Memory, bytes);
        let again = cleaner().clean_text("doc", &cleaned.doc.text);
        prop_assert_eq!(again.doc.text, cleaned.doc.text);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = cleaner().clean_text("doc", &text);
    }
}
