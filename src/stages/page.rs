//! Page: find the article in a whole-page text dump (issue 6).
//!
//! Scrapers often keep a page's whole text — menus, teasers, share widgets, comments, footers
//! — and each site appears too rarely for repetition across documents to help. This step scores
//! every line on signals that hold in any language (length, sentence punctuation including
//! 。！？, letters against digits and symbols, title-case menu words, stop-word density when the
//! language has a shipped list), picks the best-scoring run of lines (a maximum-sum segment,
//! where chrome lines cost and prose lines pay), adds the title above it, cuts it at a comment
//! section header and removes text repeated inside it.
//!
//! It is conservative: a document that does not look like a dump (few chrome lines outside
//! the best block) gets no edit at all, so already-extracted articles keep only the edge
//! trimming of the rule step. When the choice is doubtful the lines are reported as suspects,
//! and a document is never emptied.

use std::collections::HashMap;
use std::sync::Arc;

use super::Step;
use crate::corpus::CorpusStats;
use crate::document::Document;
use crate::edit::{Edit, StageName, Verdict};
use crate::rules::line_key;

const STOPWORDS: &str = include_str!("../../data/page/stopwords.txt");
const COMMENT_HEADERS: &str = include_str!("../../data/page/comment-headers.txt");

/// Rule ids of the step's edits.
const OUTSIDE: &str = "page.outside-block.v1";
const COMMENTS: &str = "page.comments.v1";
const REPEAT: &str = "page.repeat.v1";
const BETWEEN: &str = "page.title-gap.v1";

/// Fewest chrome-like lines outside the best block for a document to count as a dump.
const MIN_CHROME_OUTSIDE: usize = 5;
/// A line this long (in effective characters) with sentence punctuation is a paragraph.
const PROSE_CHARS: f32 = 60.0;
/// Most short lines between two paragraphs that still count as inside the article.
const MAX_GAP: usize = 6;

/// The page step of the boilerplate stage.
pub struct Page {
    /// Stop word → bit set of the languages that list it.
    stop: HashMap<&'static str, u8, FxBuild>,
    /// Number of languages with a list (bits 0..n).
    langs: usize,
    /// Comment section headers, as `line_key`s.
    comment_headers: Vec<String>,
    outside: Arc<str>,
    comments: Arc<str>,
    repeat: Arc<str>,
    between: Arc<str>,
}

impl Default for Page {
    fn default() -> Self {
        Self::new()
    }
}

/// What the scorer knows about one non-blank line.
#[derive(Clone, Debug, Default)]
struct LineInfo {
    /// Byte range including the newline.
    range: std::ops::Range<usize>,
    /// Effective length: characters, with a CJK character counting as 3 Latin ones (a CJK
    /// character carries about as much as a short word).
    eff: f32,
    words: usize,
    /// Ends with sentence punctuation (closing quotes and brackets aside).
    sentence_end: bool,
    /// Sentence punctuation marks followed by more text: more than one sentence.
    sentences: usize,
    /// Letters over non-space characters.
    alpha: f32,
    /// Words starting with an upper-case letter, over words with a letter.
    title_case: f32,
    /// Stop-word hits per language.
    stop_hits: [u16; 8],
    /// Mostly CJK (no stop-word test applies).
    cjk: bool,
    /// Starts like a list item or is a link/breadcrumb row (`* `, `|`, `>`, `»`).
    listy: bool,
    /// A lone sentence between chrome lines (its score was cut).
    teaser: bool,
    /// A text browser's image placeholder: "[x]", "[IMG]", "[image]".
    placeholder: bool,
    /// The line's score: positive pays for prose, negative costs for chrome.
    score: f32,
}

impl Page {
    /// Builds the step from the shipped language data.
    pub fn new() -> Page {
        let mut stop: HashMap<&'static str, u8, FxBuild> = HashMap::default();
        let mut langs = 0;
        for line in STOPWORDS.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((_, words)) = line.split_once(':') else {
                continue;
            };
            for w in words.split_whitespace() {
                *stop.entry(w).or_default() |= 1 << langs;
            }
            langs += 1;
        }
        debug_assert!(langs <= 8);
        let comment_headers = COMMENT_HEADERS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(line_key)
            .collect();
        Page {
            stop,
            langs,
            comment_headers,
            outside: Arc::from(OUTSIDE),
            comments: Arc::from(COMMENTS),
            repeat: Arc::from(REPEAT),
            between: Arc::from(BETWEEN),
        }
    }

    fn measure(&self, trimmed: &str, info: &mut LineInfo) {
        let (mut chars, mut cjk, mut letters, mut nonspace, mut upper_words, mut letter_words) =
            (0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
        let mut words = 0;
        let mut buf = [0u8; 16];
        for word in trimmed.split_whitespace() {
            words += 1;
            let mut first_letter = None;
            let mut wlen = 0;
            let mut fits = word.len() <= buf.len();
            for c in word.chars() {
                chars += 1;
                nonspace += 1;
                if c.is_alphabetic() {
                    letters += 1;
                    if first_letter.is_none() {
                        first_letter = Some(c);
                    }
                    if is_cjk(c) {
                        cjk += 1;
                    }
                }
                if fits {
                    if c.is_ascii() {
                        buf[wlen] = c.to_ascii_lowercase() as u8;
                        wlen += 1;
                    } else if c.is_alphabetic() {
                        let mut tmp = [0u8; 4];
                        let lower = c.to_lowercase().next().unwrap_or(c);
                        let s = lower.encode_utf8(&mut tmp);
                        if wlen + s.len() <= buf.len() {
                            buf[wlen..wlen + s.len()].copy_from_slice(s.as_bytes());
                            wlen += s.len();
                        } else {
                            fits = false;
                        }
                    }
                    // other punctuation is left out: "said," → "said"
                }
            }
            if let Some(c) = first_letter {
                letter_words += 1;
                upper_words += usize::from(c.is_uppercase());
            }
            if fits && wlen > 0 {
                // Elided articles: "l'entreprise", "d'eux" → "l", "d".
                let key = &buf[..wlen];
                let key = match key.iter().position(|&b| b == b'\'') {
                    Some(p) if p > 0 => &key[..p],
                    _ => key,
                };
                if let Ok(k) = std::str::from_utf8(key) {
                    if let Some(&bits) = self.stop.get(k) {
                        for l in 0..self.langs {
                            if bits & (1 << l) != 0 {
                                info.stop_hits[l] += 1;
                            }
                        }
                    }
                }
            }
        }
        chars += trimmed.chars().filter(|c| c.is_whitespace()).count();
        info.cjk = cjk * 2 > letters.max(1);
        info.eff = chars as f32 + 2.0 * cjk as f32;
        info.words = words;
        info.alpha = letters as f32 / nonspace.max(1) as f32;
        info.title_case = upper_words as f32 / letter_words.max(1) as f32;
        let (end, count) = sentence_marks(trimmed);
        info.sentence_end = end;
        info.sentences = count;
        info.placeholder = trimmed.len() <= 24
            && trimmed.starts_with('[')
            && trimmed.ends_with(']')
            && !trimmed[1..trimmed.len() - 1].contains(['[', ']']);
        let first = trimmed.chars().next().unwrap_or(' ');
        info.listy = matches!(first, '*' | '•' | '|' | '>' | '»' | '›' | '-' | '+' | '·')
            || spaced_separators(trimmed.as_bytes()) >= 2;
    }

    fn is_comment_header(&self, trimmed: &str) -> bool {
        if trimmed.len() > 80 || trimmed.chars().count() > 40 {
            return false;
        }
        let key = line_key(trimmed);
        // "23 Comments", "Comments (23)"
        let key = key.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
        let key = key
            .trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, ' ' | '(' | ')'))
            .trim_end_matches(['»', '›', '→', ' ']);
        self.comment_headers.iter().any(|h| h == key)
    }
}

impl LineInfo {
    /// Whether this line is article prose that short lines next to it can hang on to.
    fn anchors(&self) -> bool {
        self.score >= 0.5 && !self.teaser
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af)
}

/// How many " | " or " > " separators a line has (link rows, breadcrumbs).
fn spaced_separators(bytes: &[u8]) -> usize {
    bytes
        .windows(3)
        .filter(|w| w[0] == b' ' && w[2] == b' ' && (w[1] == b'|' || w[1] == b'>'))
        .count()
}

/// A full sentence: it ends like one and has at least six words (or, without spaces, at least
/// fifteen characters, as CJK writes).
fn reads_as_prose(line: &str) -> bool {
    let line = line.trim();
    let (ends, _) = sentence_marks(line);
    ends && (line.split_whitespace().count() >= 6
        || (!line.contains(' ') && line.chars().count() >= 15))
}

/// Whether the line ends a sentence, and how many sentences it holds.
fn sentence_marks(line: &str) -> (bool, usize) {
    let last = line.chars().rev().find(|c| {
        !matches!(
            c,
            '"' | '”' | '’' | '»' | ')' | '\'' | '」' | '』' | '）' | ' '
        )
    });
    let end = matches!(last, Some('.' | '!' | '?' | '…' | '。' | '！' | '？'));
    let cjk_end = matches!(last, Some('。' | '！' | '？'));
    let mut count = 0;
    let mut prev_mark = false;
    for c in line.chars() {
        if matches!(c, '。' | '！' | '？') {
            count += 1;
            prev_mark = false;
        } else if matches!(c, '.' | '!' | '?') {
            prev_mark = true;
        } else {
            if prev_mark && c == ' ' {
                count += 1;
            }
            prev_mark = false;
        }
    }
    if end && !cjk_end {
        count += 1;
    }
    (end, count.max(usize::from(end)))
}

impl Step for Page {
    fn stage(&self) -> StageName {
        StageName::Boilerplate
    }
    fn name(&self) -> &'static str {
        "page"
    }
    fn edits(&self, doc: &Document, _: &CorpusStats) -> Vec<Edit> {
        let text = doc.text.as_str();
        // Cheap gate: a dump has many short lines without sentence punctuation. Articles (and
        // most documents) leave here after one pass over the line ends.
        let mut short_bare = 0;
        let mut nonblank = 0;
        let mut start = 0;
        let mut lines: Vec<LineInfo> = Vec::new();
        for raw in text.split_inclusive('\n') {
            let range = start..start + raw.len();
            start += raw.len();
            let trimmed = raw.trim();
            if trimmed.is_empty() {
                continue;
            }
            nonblank += 1;
            if trimmed.len() < 80 && !sentence_marks(trimmed).0 {
                short_bare += 1;
            }
            lines.push(LineInfo {
                range,
                ..LineInfo::default()
            });
        }
        if short_bare < MIN_CHROME_OUTSIDE + 2 || nonblank < 8 {
            return Vec::new();
        }
        for info in &mut lines {
            let trimmed = text[info.range.clone()].trim();
            self.measure(trimmed, info);
        }
        // The document's language: the stop list with the most hits.
        let mut totals = [0u32; 8];
        for info in &lines {
            for (t, h) in totals.iter_mut().zip(info.stop_hits) {
                *t += u32::from(h);
            }
        }
        let words: usize = lines.iter().filter(|l| !l.cjk).map(|l| l.words).sum();
        let (lang, hits) = totals
            .iter()
            .enumerate()
            .max_by_key(|&(i, &h)| (h, usize::MAX - i))
            .map(|(i, &h)| (i, h))
            .unwrap_or((0, 0));
        // Without a list for the language (few hits overall), stop words cannot vote.
        let has_lang = words > 0 && hits as f32 / words as f32 > 0.08;
        for info in &mut lines {
            info.score = line_score(info, has_lang.then_some(lang));
        }
        // A line that holds two or more other paying lines is a metadata block repeating
        // the title and the article: it must not pay for the block it sits in.
        let repeats: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].range.len() >= 300 && lines[i].score > 0.0)
            .filter(|&i| {
                let t = text[lines[i].range.clone()].trim();
                lines
                    .iter()
                    .enumerate()
                    .filter(|&(j, l)| {
                        j != i && l.score > 0.0 && l.range.len() < lines[i].range.len()
                    })
                    .map(|(_, l)| text[l.range.clone()].trim())
                    .filter(|o| o.len() >= 30 && t.contains(o))
                    .take(2)
                    .count()
                    >= 2
            })
            .collect();
        for &i in &repeats {
            lines[i].score = 0.0;
        }
        // A single sentence alone between chrome lines is a teaser, not a paragraph.
        for i in 0..lines.len() {
            let prev = i.checked_sub(1).map_or(-1.0, |j| lines[j].score);
            let next = lines.get(i + 1).map_or(-1.0, |l| l.score);
            if lines[i].score > 0.0 && lines[i].sentences <= 1 && prev < 0.0 && next < 0.0 {
                lines[i].score *= 0.4;
                lines[i].teaser = true;
            }
        }
        // A few short lines between two paragraphs are subheadings, captions or list items of
        // the article: cheap to cross.
        let mut i = 1;
        while i < lines.len() {
            if lines[i].score >= 0.0 || !lines[i - 1].anchors() {
                i += 1;
                continue;
            }
            let run_end = (i..lines.len()).find(|&j| lines[j].score >= 0.0);
            match run_end {
                Some(j) if j - i <= MAX_GAP && lines[j].anchors() => {
                    for l in &mut lines[i..j] {
                        l.score = l.score.max(-0.4);
                    }
                    i = j;
                }
                Some(j) => i = j,
                None => break,
            }
        }
        // Comment threads are prose too: look for the block above the first comment section
        // header first, and below it only when nothing above pays enough.
        let headers: Vec<usize> = (0..lines.len())
            .filter(|&i| {
                lines[i].score < 0.0 && self.is_comment_header(text[lines[i].range.clone()].trim())
            })
            .collect();
        let above_first = headers
            .first()
            .and_then(|&h| best_segment(&lines[..h]))
            .filter(|&(_, _, s)| s >= 2.0);
        let Some((a, b, best)) = above_first.or_else(|| best_segment(&lines)) else {
            return Vec::new();
        };
        // Cut at the first comment section header below the block's start.
        let comment_cut = headers.iter().copied().find(|&h| h > a);
        let end = comment_cut.map_or(b, |c| b.min(c - 1));
        // The title: the nearest heading-like line above the block, over meta lines.
        let mut begin = a;
        let mut title = None;
        for j in (a.saturating_sub(8)..a).rev() {
            let l = &lines[j];
            if l.score > 0.5 {
                break;
            }
            let t = text[l.range.clone()].trim();
            let heading = !l.sentence_end
                && !l.listy
                && l.alpha >= 0.75
                && (if l.cjk { l.eff >= 15.0 } else { l.words >= 4 })
                && l.eff <= 250.0
                && spaced_separators(t.as_bytes()) == 0;
            if heading {
                title = Some(j);
                begin = j;
                break;
            }
        }
        // Chrome lines outside the kept block: if there are few, this is not a dump.
        let chrome_outside = lines[..begin]
            .iter()
            .chain(&lines[end + 1..])
            .filter(|l| l.score < 0.0)
            .count();
        if chrome_outside < MIN_CHROME_OUTSIDE {
            return Vec::new();
        }
        // A rival block outside, before any comment header: if one scores near the best,
        // the choice is doubtful and nothing is applied.
        let after_limit = comment_cut.unwrap_or(lines.len()).max(end + 1);
        let rival = [&lines[..begin], &lines[end + 1..after_limit]]
            .into_iter()
            .filter_map(best_segment)
            .map(|(_, _, s)| s)
            .fold(0.0f32, f32::max);
        // A page of several short texts (a collection of quotes, a manual's sections) can
        // look like a dump; there, much of what lies outside the block reads as prose, where a
        // real dump's outside is mostly menus, links and teaser headlines.
        let outside: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < begin || *i > end)
            .map(|(_, l)| text[l.range.clone()].trim())
            .filter(|t| !t.is_empty())
            .collect();
        let prose_outside = outside.iter().filter(|t| reads_as_prose(t)).count();
        let many_texts = prose_outside * 10 >= outside.len() * 4;
        let doubtful = best < 1.5 || rival >= 0.6 * best || many_texts;
        let mut edits = Vec::new();
        let mut push = |i: usize, rule: &Arc<str>, reason: String, confidence: f32, sure: bool| {
            edits.push(Edit {
                range: lines[i].range.clone(),
                replacement: String::new(),
                stage: StageName::Boilerplate,
                rule: Arc::clone(rule),
                reason: Arc::from(reason),
                confidence,
                verdict: if sure && !doubtful {
                    Verdict::Applied
                } else {
                    Verdict::Suspect
                },
            });
        };
        let block = format!(
            "lines {}–{} (score {best:.1}, best rival {rival:.1})",
            line_number(text, lines[begin].range.start),
            line_number(text, lines[end].range.start)
        );
        for (i, line) in lines.iter().enumerate() {
            let s = line.score;
            if repeats.contains(&i) {
                continue; // reported below, with its own rule
            }
            if i < begin || i > end {
                if comment_cut.is_some_and(|c| i >= c) {
                    push(
                        i,
                        &self.comments,
                        format!("page dump: in the comment section below the article {block}; line score {s:.2}"),
                        0.9,
                        true,
                    );
                    continue;
                }
                // Prose right next to the block is near the boundary: a suspect.
                let near = i + 1 == begin || i == end + 1;
                let sure = !(near && s > 0.5);
                push(
                    i,
                    &self.outside,
                    format!("page dump: outside the main block {block}; line score {s:.2}"),
                    if sure { 0.8 } else { 0.4 },
                    sure,
                );
            } else if title.is_some_and(|t| t < i) && i < a {
                push(
                    i,
                    &self.between,
                    format!("page dump: meta line between the title and the article {block}; line score {s:.2}"),
                    0.7,
                    s < 0.0,
                );
            }
        }
        // An exact repeat of a longer line inside the block.
        let kept: Vec<usize> = (a..=end).chain(title).collect();
        let mut seen: HashMap<&str, usize, FxBuild> = HashMap::default();
        for &i in &kept {
            let t = text[lines[i].range.clone()].trim();
            if t.len() >= 40 {
                if seen.contains_key(t) {
                    push(
                        i,
                        &self.repeat,
                        "page dump: repeats an earlier line of the article".to_owned(),
                        0.9,
                        true,
                    );
                    continue;
                }
                seen.insert(t, i);
            }
        }
        for &i in &repeats {
            push(
                i,
                &self.repeat,
                "page dump: repeats other lines of the page on one line (a metadata block)"
                    .to_owned(),
                0.9,
                true,
            );
        }
        edits.sort_by_key(|e| e.range.start);
        edits.dedup_by_key(|e| e.range.start);
        // Never empty a document: if every line with a letter would go, report only.
        let gone: usize = edits
            .iter()
            .filter(|e| e.verdict == Verdict::Applied)
            .count();
        if gone >= lines.len() {
            for e in &mut edits {
                e.verdict = Verdict::Suspect;
            }
        }
        edits
    }
}

/// The 1-based line number of byte `at` (for reasons only: counted once per dump).
fn line_number(text: &str, at: usize) -> usize {
    memchr::memchr_iter(b'\n', &text.as_bytes()[..at]).count() + 1
}

/// A line's score: positive for prose (grows with length), negative for chrome.
fn line_score(l: &LineInfo, lang: Option<usize>) -> f32 {
    let stop_ok = match lang {
        _ if l.cjk => true,
        Some(lang) => l.stop_hits[lang] as f32 / l.words.max(1) as f32 >= 0.12,
        None => true,
    };
    let menu_like = !l.cjk && l.words >= 2 && l.title_case >= 0.75;
    if l.sentence_end && stop_ok && l.alpha >= 0.6 && !l.listy {
        if l.eff >= PROSE_CHARS {
            let bonus = if l.sentences >= 2 { 1.5 } else { 1.0 };
            return (l.eff / PROSE_CHARS).min(12.0) * bonus;
        }
        if l.eff >= 25.0 && !menu_like {
            return 0.2;
        }
    }
    if l.placeholder {
        return -0.2; // an image placeholder of a text browser ("[x]", "[IMG]") inside the article
    }
    let mut s = -1.0;
    if l.alpha < 0.5 {
        s -= 0.5; // dates, counters, symbols
    }
    if l.listy || (menu_like && l.words <= 4) || l.words <= 1 {
        s -= 0.5;
    }
    s
}

/// The maximum-sum run of lines (Kadane): (first, last, sum), or None if no line pays.
fn best_segment(lines: &[LineInfo]) -> Option<(usize, usize, f32)> {
    let mut best: Option<(usize, usize, f32)> = None;
    let (mut start, mut sum) = (0, 0.0f32);
    for (i, l) in lines.iter().enumerate() {
        if sum <= 0.0 {
            start = i;
            sum = 0.0;
        }
        sum += l.score;
        if sum > 0.0 && best.is_none_or(|(_, _, b)| sum > b) {
            best = Some((start, i, sum));
        }
    }
    // The block starts and ends on a paying line.
    best.map(|(mut a, mut b, s)| {
        while a < b && lines[a].score <= 0.0 {
            a += 1;
        }
        while b > a && lines[b].score <= 0.0 {
            b -= 1;
        }
        (a, b, s)
    })
}

/// A small, fast hasher for short keys (stop words): FxHash's multiply-rotate.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut v = [0u8; 8];
            v[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(v))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, i: usize) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FxBuild = std::hash::BuildHasherDefault<Fx>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{apply, EditRecord};

    fn run(text: &str) -> (String, Vec<EditRecord>) {
        let doc = Document::from_text("t", text);
        let mut records = Vec::new();
        let edits = Page::new().edits(&doc, &CorpusStats::default());
        let out = apply(text, edits, &mut records).unwrap_or_else(|| text.to_owned());
        (out, records)
    }

    const P1: &str =
        "The council voted on Tuesday to expand the bus network. Residents had asked for \
        the change in public meetings, and several members said they would share the plan with the \
        regional transit authority before the budget is finalised.";
    const P2: &str =
        "The new routes will start in March. Officials said the cost would be covered by \
        the city's reserve fund, which has grown over the last two years because of higher tax \
        receipts and lower spending on road repairs.";
    const P3: &str =
        "Not everyone was pleased. A group of shop owners in the old town said that the \
        buses would block deliveries in the morning, and they asked the council to move one of the \
        stops to the other side of the square.";
    const COMMENT: &str =
        "I think this is a great idea and I hope that the buses will also run on \
        Sundays, because many of us have no car and the trains are far too expensive for a family.";

    fn dump() -> String {
        let mut page = String::new();
        for l in [
            "Home", "News", "World", "Politics", "Business", "Sport", "Culture",
        ] {
            page += &format!("{l}\n");
        }
        page += "Home > News > Local\n\nCouncil backs a bigger bus network for the old town\n";
        page += "By Jane Doe | PUBLISHED: 12 May 2024 | UPDATED: 13 May 2024\nShare\nFacebook\nTwitter\n\n";
        page += &format!("{P1}\n\n{P2}\n\n{P3}\n\n");
        page += "Tags: Transport, Council\nMost read\nFire closes the main road for two days\n12 May 2024\n";
        page += "New school opens its doors on the hill\n11 May 2024\n\n23 Comments\nJohn Smith\n2 days ago at 07:50 am\n";
        page +=
            &format!("{COMMENT}\nReply\nRating: 25 Votes\n\nAbout us\nContact\nPrivacy Policy\n");
        page
    }

    #[test]
    fn an_extracted_article_gets_no_edit() {
        let text = format!("Council backs a bigger bus network\n\n{P1}\n\n{P2}\n\n{P3}\n\nShare\n");
        assert!(run(&text).1.is_empty());
    }

    #[test]
    fn a_dump_keeps_title_and_article_and_cuts_the_rest() {
        let (out, records) = run(&dump());
        let kept: Vec<&str> = out.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(
            kept,
            [
                "Council backs a bigger bus network for the old town",
                P1,
                P2,
                P3
            ]
        );
        assert!(records
            .iter()
            .any(|r| &*r.rule == COMMENTS && r.before.starts_with(COMMENT)));
        assert!(records
            .iter()
            .any(|r| &*r.rule == OUTSIDE && r.before == "Home\n"));
        assert!(records
            .iter()
            .all(|r| r.reason.contains("score") || &*r.rule == REPEAT));
    }

    #[test]
    fn cleaning_a_cleaned_dump_changes_nothing() {
        let (once, _) = run(&dump());
        assert!(run(&once).1.is_empty());
    }

    #[test]
    fn a_metadata_line_repeating_the_article_goes() {
        let mut text = dump();
        let flat = format!("Council backs a bigger bus network for the old town {P1} {P2} {P3}");
        text = text.replace("Tags: Transport", &format!("{flat}\nTags: Transport"));
        let (out, records) = run(&text);
        assert!(!out.contains(&flat));
        assert!(out.contains(P3));
        assert!(records.iter().any(|r| &*r.rule == REPEAT));
    }

    #[test]
    fn a_page_without_prose_is_never_emptied() {
        let text =
            "Home\nNews\nWorld\nPolitics\nSport\nCulture\nWeather\nVideo\nContact\nAbout us\n";
        let (out, records) = run(text);
        assert_eq!(out, text);
        assert!(records.iter().all(|r| r.status == Verdict::Suspect));
    }

    #[test]
    fn two_blocks_of_the_same_weight_are_only_suspects() {
        let text = format!(
            "Home\nNews\nWorld\nSport\nCulture\nWeather\nVideo\n\n{P1}\n{P2}\n\nMost read\nContact\nAbout us\n12 May 2024\nWeather\nSport\nVideo\nJobs\n\n{P3}\n{P2} Again.\n\nPrivacy\n"
        );
        let (out, records) = run(&text);
        assert_eq!(out, text);
        assert!(!records.is_empty());
    }

    #[test]
    fn a_cjk_dump_finds_its_article() {
        let p1 = "市议会周二表示将重新审查公交网络的计划，许多居民在会议上提出了自己的意见。\
            官员说，新的线路将在三月开通，费用由城市储备基金承担。";
        let p2 = "不过，老城区的一些店主担心公交车会在早上挡住送货的车辆。\
            他们要求市议会把其中一个车站移到广场的另一边。";
        let mut text = String::new();
        for l in ["首页", "新闻", "国际", "财经", "科技", "体育", "娱乐"] {
            text += &format!("{l}\n");
        }
        text += &format!(
            "市议会决定扩建城市公交网络\n分享到：\n微信\n微博\n{p1}\n{p2}\n相关新闻\n2024年5月12日\n关于我们\n联系我们\n"
        );
        let (out, _) = run(&text);
        assert_eq!(
            out.lines().collect::<Vec<_>>(),
            ["市议会决定扩建城市公交网络", p1, p2]
        );
    }

    #[test]
    fn comment_headers_with_counts_are_recognised() {
        let page = Page::new();
        for h in [
            "23 Comments",
            "Kommentare (12)",
            "Commentaires",
            "评论",
            "Leave a Reply",
        ] {
            assert!(page.is_comment_header(h), "{h}");
        }
        for h in ["Comments are welcome in the form below.", "Commentary"] {
            assert!(!page.is_comment_header(h), "{h}");
        }
    }

    #[test]
    fn sentences_and_ends_are_seen_in_any_script() {
        assert_eq!(sentence_marks("One. Two! Three?"), (true, 3));
        assert_eq!(sentence_marks("一。二！三"), (false, 2));
        assert_eq!(sentence_marks("“Quoted.”"), (true, 1));
        assert_eq!(sentence_marks("Home > News"), (false, 0));
    }

    #[test]
    fn page_rules_drop_in_article_chrome_and_keep_prose() {
        use crate::rules::RuleSet;
        use crate::stages::boilerplate::Boilerplate;
        let step = Boilerplate::new(&RuleSet::defaults().unwrap());
        let chrome = [
            "A bus waits at the depot on Monday morning. (Image credit: AP)",
            "Ein Bus wartet am Montagmorgen im Depot. Foto: Tom Baker/dpa",
            "Image copyright EPA",
            "1 of 6",
            "LIRE AUSSI : Le vieux pont sera fermé en mars",
            "(Reporting by Jane Doe; Editing by Tom Baker)",
            "Pierre Martin contributed to this report.",
            "2 days ago at 07:50 am",
            "Rating: 25 Votes",
        ];
        for line in chrome {
            let text = format!("Title of the story\n\n{P1}\n\n{line}\n\n{P2}\n");
            let edits = step.edits(&Document::from_text("t", &text), &CorpusStats::default());
            assert!(
                edits.iter().any(|e| text[e.range.clone()].trim() == line),
                "{line}"
            );
        }
        for prose in [
            "He took a photo: it was the last time he saw the bridge.",
            "The report was written by 12 of 16 members, who met on Monday.",
            P3,
        ] {
            let text = format!("Title of the story\n\n{P1}\n\n{prose}\n\n{P2}\n");
            let edits = step.edits(&Document::from_text("t", &text), &CorpusStats::default());
            assert!(edits.is_empty(), "{prose}");
        }
    }

    #[test]
    fn a_collection_of_short_texts_is_not_cut() {
        // Quotes with their authors: short title-case lines between sentences look like a
        // dump's menus, but most of what is outside any one block is prose.
        let mut text = String::new();
        for (quote, author) in [
            ("The very remembrance of my former misfortune proves a new one to me.", "Miguel de Cervantes"),
            ("Spare no expense to save money on this one, whatever the board may say.", "Samuel Goldwyn"),
            ("Men are not prisoners of fate, but only prisoners of their own minds.", "Franklin Roosevelt"),
            ("The only thing we learn from history is that we learn nothing from it at all.", "Georg Hegel"),
            ("We are what we repeatedly do, and excellence is therefore not an act but a habit.", "Will Durant"),
            ("It is a truth universally acknowledged that a single man must be in want of a wife.", "Jane Austen"),
            ("A journey of a thousand miles begins with a single step on the road.", "Lao Tzu"),
            ("The unexamined life is not worth living for a man, or so he told the court.", "Plato Apology"),
            ("Brevity is the soul of wit, and tediousness the limbs and outward flourishes.", "William Shakespeare"),
            ("I have not failed, I have just found ten thousand ways that will not work.", "Thomas Edison"),
            ("Whereof one cannot speak, thereof one must be silent in the end.", "Ludwig Wittgenstein"),
            ("Hell is other people, said the man who had lived too long among them.", "Jean Sartre"),
        ] {
            text += &format!("{quote}\n{author}\n\n");
        }
        text += &format!("{P1}\n\n{P2}\n");
        let (_, records) = run(&text);
        assert!(
            records.iter().all(|r| r.status == Verdict::Suspect),
            "{records:?}"
        );
    }
}
