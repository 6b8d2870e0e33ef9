//! A literal prefilter for many line regexes: before any regex runs on a line, one pass of an
//! Aho-Corasick automaton finds which regexes *could* match it.
//!
//! For each regex we derive a set of substrings one of which every match must contain (from
//! the regex's syntax tree, so nothing is written by hand and nothing can drift from the rule).
//! A line containing none of a regex's substrings, or starting with a byte no match can start
//! with, cannot match that regex, so the regex is not run. Most lines are prose that no
//! boilerplate rule matches; without the filter every line paid for every regex search.
//! A regex without a usable set (say `^\p{Lu}.*$`) is simply always tried.

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind, Look};

/// Most literals kept for one regex; a bigger set filters little and costs more to search.
const MAX_LITERALS: usize = 256;

/// Which of a list of regexes can possibly match a line.
pub struct Prefilter {
    /// Per regex: the bytes a line can start with to match it.
    first_bytes: Vec<[bool; 256]>,
    /// Per regex: whether it needs one of the automaton's literals (else it is always tried).
    needs_literal: Vec<bool>,
    /// All regexes' literals, ASCII case ignored; pattern `p` is needed by `owners[p]`.
    automaton: Option<AhoCorasick>,
    owners: Vec<Vec<usize>>,
}

impl Prefilter {
    /// A prefilter for `patterns` (regex syntax as the `regex` crate reads it). A pattern that
    /// does not parse gets no filter (it is always tried).
    pub fn new<'p>(patterns: impl IntoIterator<Item = &'p str>) -> Prefilter {
        let mut first_bytes = Vec::new();
        let mut needs_literal = Vec::new();
        // Literals folded to ASCII lower case (the automaton ignores ASCII case), each with the
        // regexes that need it: `(?i)share` gives one literal, not 32 case variants.
        let mut owners: BTreeMap<Vec<u8>, Vec<usize>> = BTreeMap::new();
        for (index, pattern) in patterns.into_iter().enumerate() {
            let hir = regex_syntax::Parser::new().parse(pattern).ok();
            first_bytes.push(hir.as_ref().map_or([true; 256], first_bytes_of));
            let required = hir
                .as_ref()
                .and_then(required_literals)
                .filter(|set| set.iter().all(|literal| !is_common(literal)));
            needs_literal.push(required.is_some());
            for literal in required.unwrap_or_default() {
                let regexes = owners.entry(literal.to_ascii_lowercase()).or_default();
                if regexes.last() != Some(&index) {
                    regexes.push(index);
                }
            }
        }
        let automaton = (!owners.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(true)
                .kind(Some(AhoCorasickKind::DFA))
                .build(owners.keys())
                .expect("a few hundred short literals always build")
        });
        Prefilter {
            first_bytes,
            needs_literal,
            automaton,
            owners: owners.into_values().collect(),
        }
    }

    /// Marks in `possible` (one flag per regex, resized here) the regexes that could match
    /// `line`. A line that is empty matches only what the caller decides: none are marked.
    pub fn possible(&self, line: &str, possible: &mut Vec<bool>) {
        possible.clear();
        possible.resize(self.first_bytes.len(), false);
        let Some(&first) = line.as_bytes().first() else {
            return;
        };
        let first = usize::from(first);
        let mut any_needs_search = false;
        for (index, flag) in possible.iter_mut().enumerate() {
            if !self.first_bytes[index][first] {
                continue;
            }
            if self.needs_literal[index] {
                any_needs_search = true;
            } else {
                *flag = true;
            }
        }
        if !any_needs_search {
            return;
        }
        if let Some(automaton) = &self.automaton {
            for found in automaton.find_overlapping_iter(line) {
                for &index in &self.owners[found.pattern().as_usize()] {
                    possible[index] |= self.first_bytes[index][first];
                }
            }
        }
    }
}

/// The first bytes a match can start with, when the regex is anchored at the start of the
/// line and its prefixes are a finite set of literals; every byte otherwise.
fn first_bytes_of(hir: &Hir) -> [bool; 256] {
    let mut table = [true; 256];
    if !hir.properties().look_set_prefix().contains(Look::Start) {
        return table;
    }
    let Some(literals) = prefix_literals(hir) else {
        return table;
    };
    table = [false; 256];
    for literal in literals {
        table[usize::from(literal[0])] = true;
    }
    table
}

/// Whether a literal occurs in most lines of prose ("a", "on", " ", "-"), so that requiring
/// it rules out almost nothing while costing a match report per occurrence.
fn is_common(literal: &[u8]) -> bool {
    literal.len() < 3
        && literal
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b" .,;:-'\"()/*=".contains(&b))
}

/// A finite set of non-empty literals, one of which every match of `hir` starts with.
fn prefix_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
    let literals = seq.literals()?;
    if literals.is_empty()
        || literals.len() > MAX_LITERALS
        || literals.iter().any(|l| l.as_bytes().is_empty())
    {
        return None;
    }
    Some(literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}

/// A set of literals one of which every match of `hir` contains, or `None` when no useful set
/// is known. Of the sets a concatenation offers (one per part), the one whose shortest literal
/// is longest wins: it rules out the most lines.
fn required_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(_) | HirKind::Class(_) => prefix_literals(hir),
        HirKind::Capture(capture) => required_literals(&capture.sub),
        HirKind::Repetition(repetition) => {
            if repetition.min == 0 {
                None
            } else {
                required_literals(&repetition.sub)
            }
        }
        HirKind::Concat(parts) => {
            // Every match contains a match of each part, and of each run of parts from one to
            // the end, which starts with one of that run's prefixes: `(?i)all rights` is a
            // run of one-letter classes whose prefixes are the useful literal.
            let mut best: Option<Vec<Vec<u8>>> = None;
            for (start, part) in parts.iter().enumerate() {
                let from_here = prefix_literals(&Hir::concat(parts[start..].to_vec()));
                for set in [from_here, required_literals(part)].into_iter().flatten() {
                    if !set.iter().any(|l| is_common(l))
                        && best.as_ref().is_none_or(|b| better(&set, b))
                    {
                        best = Some(set);
                    }
                }
            }
            best
        }
        HirKind::Alternation(branches) => {
            let mut union: Vec<Vec<u8>> = Vec::new();
            for branch in branches {
                union.extend(required_literals(branch)?);
            }
            union.sort();
            union.dedup();
            (union.len() <= MAX_LITERALS).then_some(union)
        }
    }
}

/// Whether literal set `a` filters better than `b`: a longer shortest literal, then fewer
/// literals.
fn better(a: &[Vec<u8>], b: &[Vec<u8>]) -> bool {
    let shortest = |set: &[Vec<u8>]| set.iter().map(Vec::len).min().unwrap_or(0);
    (shortest(a), std::cmp::Reverse(a.len())) > (shortest(b), std::cmp::Reverse(b.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn required(pattern: &str) -> Option<Vec<String>> {
        let hir = regex_syntax::Parser::new().parse(pattern).unwrap();
        required_literals(&hir).map(|set| {
            set.into_iter()
                .map(|l| String::from_utf8(l).unwrap())
                .collect()
        })
    }

    #[test]
    fn required_literals_come_from_the_most_selective_part() {
        let set = required(
            r"^(?:[^.!?:]{1,80}[.|,-]\s*)?(?:All Rights Reserved|ALL RIGHTS RESERVED)\.?$",
        )
        .unwrap();
        assert!(set.iter().all(|l| l.len() >= 10), "{set:?}");
        assert_eq!(required(r"^\p{Lu}.*$"), None);
        assert_eq!(required(r"^(?:a|\w+)$"), None, "one branch needs nothing");
        let set = required(r"^\p{Lu}[\p{L} ]+ \| (?:AFP|Reuters)$").unwrap();
        assert_eq!(set, [" | AFP", " | Reuters"], "the longest run of literals");
    }

    #[test]
    fn first_bytes_only_for_anchored_literal_prefixes() {
        let table = |p: &str| first_bytes_of(&regex_syntax::Parser::new().parse(p).unwrap());
        let t = table("^(?:WATCH|READ MORE):.*$");
        assert!(t[usize::from(b'W')] && t[usize::from(b'R')] && !t[usize::from(b'w')]);
        let t = table("(?i)^share this$");
        assert!(t[usize::from(b's')] && t[usize::from(b'S')] && !t[usize::from(b'T')]);
        assert!(
            table("^\\p{Lu}.*$").iter().all(|&b| b),
            "a class: every byte"
        );
        assert!(table("share$").iter().all(|&b| b), "unanchored: every byte");
    }

    #[test]
    fn a_line_without_the_literals_rules_the_regex_out() {
        let patterns = [
            r"^(?:WATCH|READ MORE):\s*\S.*$",
            r"(?i)^.{0,40}all rights reserved\.?$",
            r"^\p{Lu}.*$",
        ];
        let filter = Prefilter::new(patterns);
        let mut possible = Vec::new();
        filter.possible("WATCH: the video", &mut possible);
        assert_eq!(possible, [true, false, true]);
        filter.possible("Acme Inc. All Rights Reserved.", &mut possible);
        assert_eq!(possible, [false, true, true]);
        filter.possible("the watch: all rights", &mut possible);
        assert_eq!(
            possible,
            [false, false, true],
            "the last has no literal: always tried"
        );
        filter.possible("", &mut possible);
        assert_eq!(possible, [false, false, false]);
    }

    /// The filter never rules out a line a regex matches (checked on lines built to match).
    #[test]
    fn never_rules_out_a_match() {
        let cases = [
            (
                r"(?i)^(?:share|post)\s+(?:on|to)\s+(?:facebook|x)$",
                "SHARE on Facebook",
            ),
            (
                r"^(?:(?i:copyright)\s*)?(?:©|&copy;)\s*[\p{Lu}\d].{0,250}$",
                "© 2024 Acme",
            ),
            (
                r"^\((?i:c)\)\s*(?:19|20)\d{2}\b.{0,250}$|^©$",
                "(C) 2021 Foo",
            ),
            (
                r"^\S.*?[.!?]\s*(?:\((?i:photo)\s*:\s*[^()]+\)|[\p{Lu}][\p{L} ]+ \| (?:AP|AFP))$",
                "A man walks. Jim Watson | AFP",
            ),
        ];
        for (pattern, line) in cases {
            let re = regex::Regex::new(pattern).unwrap();
            assert!(re.is_match(line), "{pattern} should match {line}");
            let mut possible = Vec::new();
            Prefilter::new([pattern]).possible(line, &mut possible);
            assert_eq!(possible, [true], "{pattern} ruled out {line}");
        }
    }
}
