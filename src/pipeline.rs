//! The per-document pipeline: decode, then every enabled step in order, applying each step's
//! edits before the next one runs.

use std::sync::Arc;

use crate::corpus::CorpusStats;
use crate::document::{Document, Origin};
use crate::edit::{apply, EditRecord, StageName, Verdict};
use crate::rules::{RuleError, RuleSet};
use crate::stages::boilerplate::Boilerplate;
use crate::stages::decode::{decode, decode_html};
use crate::stages::extract::{render_page, Extract, HtmlRules};
use crate::stages::glue::Glue;
use crate::stages::learned::Learned;
use crate::stages::{normalize, Step};

/// Which stages run. `--only` and `--skip` build one of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StageSet {
    bits: u8,
}

impl StageSet {
    /// Every stage.
    pub fn all() -> StageSet {
        StageSet {
            bits: (1 << StageName::ALL.len()) - 1,
        }
    }

    /// No stage.
    pub fn none() -> StageSet {
        StageSet { bits: 0 }
    }

    /// Whether `stage` runs.
    pub fn contains(self, stage: StageName) -> bool {
        self.bits & Self::bit(stage) != 0
    }

    /// This set with `stage` added.
    pub fn with(self, stage: StageName) -> StageSet {
        StageSet {
            bits: self.bits | Self::bit(stage),
        }
    }

    /// This set with `stage` removed.
    pub fn without(self, stage: StageName) -> StageSet {
        StageSet {
            bits: self.bits & !Self::bit(stage),
        }
    }

    fn bit(stage: StageName) -> u8 {
        1 << (stage as u8)
    }
}

/// A cleaned document: the text before and after, and every edit in between.
#[derive(Clone, Debug)]
pub struct Cleaned {
    /// The document, its `text` now the cleaned text.
    pub doc: Document,
    /// The decoded text before any stage ran (what diffs compare against).
    pub original: String,
    /// Every edit, applied or suspect, in the order the stages made them.
    pub records: Vec<EditRecord>,
}

impl Cleaned {
    /// Number of applied edits.
    pub fn applied(&self) -> usize {
        self.records
            .iter()
            .filter(|r| r.status == Verdict::Applied)
            .count()
    }
}

/// Cleans documents: the library's entry point. Build it once, share it across threads.
pub struct Cleaner {
    steps: Vec<Box<dyn Step>>,
    /// For each step, the earlier step it repeats (the same rules run again), if any. A repeat
    /// is skipped when no step since that earlier one changed the text: the boilerplate rules
    /// settle in one run (their context rules repeat until nothing changes), so running them
    /// on their own output proposes nothing new, and on unchanged input would only report the
    /// same suspects twice.
    repeat_of: Vec<Option<usize>>,
    stats: Arc<CorpusStats>,
    html: Arc<HtmlRules>,
}

impl Cleaner {
    /// A cleaner with the given rules, stages and corpus statistics.
    pub fn new(
        rules: &RuleSet,
        stages: StageSet,
        stats: Arc<CorpusStats>,
    ) -> Result<Cleaner, RuleError> {
        let mut steps: Vec<Box<dyn Step>> = Vec::new();
        let mut repeat_of = Vec::new();
        let html = Arc::new(HtmlRules::new(rules)?);
        // Extraction runs first: its block table describes the text exactly as rendered.
        if stages.contains(StageName::Extract) {
            steps.push(Box::new(Extract::new(Arc::clone(&html))));
        }
        if stages.contains(StageName::Encoding) {
            steps.extend(crate::stages::mojibake::steps(rules));
        }
        if stages.contains(StageName::Normalize) {
            steps.extend(normalize::early_steps(rules));
        }
        if stages.contains(StageName::Boilerplate) {
            // Learned lines first (they leave lines a rule knows to that rule), so that rules
            // limited to the first or last lines see the page without its site chrome.
            if let Some(learned) = Learned::new(rules)? {
                steps.push(Box::new(learned));
            }
            // Rules, then the page step (cuts a whole-page dump down to its article), then the
            // rules once more: their first/last-N windows see the article as a second run of
            // unscrape would, so cleaning twice changes nothing.
            let first_rules = steps.len();
            let boilerplate = Arc::new(Boilerplate::new(rules));
            steps.push(Box::new(Arc::clone(&boilerplate)));
            steps.push(Box::new(crate::stages::page::Page::new()));
            repeat_of.resize(steps.len(), None);
            repeat_of.push(Some(first_rules));
            steps.push(Box::new(boilerplate));
        }
        if stages.contains(StageName::Glue) {
            if let Some(glue) = Glue::new(rules)? {
                steps.push(Box::new(glue));
            }
        }
        if stages.contains(StageName::Normalize) {
            steps.extend(normalize::late_steps(rules));
        }
        repeat_of.resize(steps.len(), None);
        Ok(Cleaner {
            steps,
            repeat_of,
            stats,
            html,
        })
    }

    /// Whether a step learns from the corpus's repeated lines (then the survey must count them).
    pub fn learns_lines(&self) -> bool {
        self.steps
            .iter()
            .any(|s| s.name() == crate::stages::learned::STEP_NAME)
    }

    /// Replaces the corpus statistics (after a survey pass).
    pub fn set_stats(&mut self, stats: Arc<CorpusStats>) {
        self.stats = stats;
    }

    /// A cleaner with the embedded default rules and every stage.
    pub fn with_defaults() -> Cleaner {
        let rules = RuleSet::defaults().expect("embedded rules are valid (tested)");
        Cleaner::new(&rules, StageSet::all(), Arc::default()).expect("embedded rules compile")
    }

    /// The steps that run, in order: (stage, step name).
    pub fn steps(&self) -> impl Iterator<Item = (StageName, &'static str)> + '_ {
        self.steps.iter().map(|s| (s.stage(), s.name()))
    }

    /// The step objects themselves, in order, with the statistics they read (for benchmarks
    /// that time each step alone).
    pub fn step_objects(&self) -> (&[Box<dyn Step>], &CorpusStats) {
        (&self.steps, &self.stats)
    }

    /// Decodes raw bytes and cleans the text.
    pub fn clean_bytes(&self, id: &str, origin: Origin, bytes: Vec<u8>) -> Cleaned {
        self.clean_bytes_in_group(id, "", origin, bytes)
    }

    /// Decodes raw bytes and cleans the text of a document of `group` (a site; see
    /// [`Document::group`]).
    pub fn clean_bytes_in_group(
        &self,
        id: &str,
        group: &str,
        origin: Origin,
        bytes: Vec<u8>,
    ) -> Cleaned {
        let raw_len = bytes.len();
        let doc = decoded_document(id, group, origin, raw_len, decode(bytes));
        self.clean_document(doc)
    }

    /// Decodes an HTML page (BOM, `<meta charset>`, detection), renders its visible text and
    /// cleans that: the extract stage drops what is not the main text, then the text stages
    /// run. The rendered page (blocks, metadata, notes) stays on the document as `html`.
    pub fn clean_html(&self, id: &str, origin: Origin, bytes: Vec<u8>) -> Cleaned {
        self.clean_html_in_group(id, "", origin, bytes)
    }

    /// [`Cleaner::clean_html`] for a page of `group` (a site; see [`Document::group`]).
    pub fn clean_html_in_group(
        &self,
        id: &str,
        group: &str,
        origin: Origin,
        bytes: Vec<u8>,
    ) -> Cleaned {
        let raw_len = bytes.len();
        let doc = decoded_document(id, group, origin, raw_len, decode_html(bytes));
        self.clean_html_text(doc)
    }

    /// Cleans a document whose `text` is an HTML page already decoded (an `.html` file, a JSONL
    /// field): renders it to its visible text, then runs every step on that.
    pub fn clean_html_text(&self, mut doc: Document) -> Cleaned {
        let page = render_page(&doc.text, &self.html);
        doc.text = page.text.clone();
        doc.html = Some(Arc::new(page));
        self.clean_document(doc)
    }

    /// The main text of an HTML page with only extraction applied (what the survey counts).
    pub fn html_main_text(&self, bytes: Vec<u8>) -> String {
        let page = render_page(&decode_html(bytes).text, &self.html);
        crate::stages::extract::main_text(&page, &self.html)
    }

    /// Cleans text that is already decoded.
    pub fn clean_text(&self, id: &str, text: &str) -> Cleaned {
        self.clean_bytes(id, Origin::Memory, text.as_bytes().to_vec())
    }

    /// Runs every step on a decoded document.
    pub fn clean_document(&self, mut doc: Document) -> Cleaned {
        let original = doc.text.clone();
        let mut records = Vec::new();
        let mut last_change = None;
        for (index, step) in self.steps.iter().enumerate() {
            if let Some(first) = self.repeat_of[index] {
                if last_change.is_none_or(|changed| changed <= first) {
                    continue;
                }
            }
            let edits = step.edits(&doc, &self.stats);
            let first = records.len();
            if let Some(text) = apply(&doc.text, edits, &mut records) {
                doc.text = text;
                last_change = Some(index);
            }
            for record in &mut records[first..] {
                record.step = index as u16;
            }
        }
        Cleaned {
            doc,
            original,
            records,
        }
    }
}

/// A document of `group` made from freshly decoded bytes (`raw_len` of them).
fn decoded_document(
    id: &str,
    group: &str,
    origin: Origin,
    raw_len: usize,
    decoded: crate::stages::decode::Decoded,
) -> Document {
    Document {
        id: id.to_owned(),
        origin,
        raw_len,
        decoding: decoded.decoding,
        text: decoded.text,
        group: group.to_owned(),
        html: None,
        metadata: None,
    }
}
