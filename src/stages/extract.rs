//! Extract (HTML input only): from a page's visible text to its main text.
//!
//! Two halves. [`render_page`] parses the page with `scraper` and renders its visible text,
//! one block per line, keeping a side table of which element each block came from (and the
//! page's metadata); that rendered text is what the document starts as, so the diff shows
//! extraction like any other change. The [`Extract`] step then proposes one deletion edit per
//! run of blocks that are not the main text, naming the rule from `rules/html.toml` and the
//! element that decided it.
//!
//! Main content: the element whose blocks score best (prose counts for it, link lists, short
//! lines and blocks inside chrome-named elements against it), preferring `itemprop=articleBody`,
//! content class names and `<article>`/`<main>` when they score nearly as well.

mod fallback;
mod meta;
mod render;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::corpus::CorpusStats;
use crate::document::Document;
use crate::edit::{Edit, StageName, Verdict};
use crate::rules::{RuleError, RuleSet};
use crate::stages::Step;

pub use meta::PageMeta;
pub use render::{Block, BlockKind, NodeId, NodeInfo};

/// Pages larger than this are not given to the tree parser (tokenizer-only extraction).
pub const TREE_MAX_BYTES: usize = 16 << 20;
/// Pages nested deeper than this (estimated by a byte scan) are not given to the tree parser:
/// html5ever's tree builder slows down badly on very deep nesting.
pub const MAX_DEPTH: usize = 10_000;
/// Time one page may take to render before extraction falls back to the tokenizer.
pub const TIME_BUDGET: Duration = Duration::from_secs(2);

/// A rendered HTML page.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// The page's visible text: blocks separated by a line break (list items, table rows) or
    /// a blank line (paragraphs, headings).
    pub text: String,
    /// The blocks of `text`, in order.
    pub blocks: Vec<Block>,
    /// Every rendered element, parents before children; `nodes[0]` is the document.
    pub nodes: Vec<NodeInfo>,
    /// Title, canonical URL, publication date, author.
    pub meta: PageMeta,
    /// The tree parser was not used (see `notes`): no main-content selection was possible.
    pub tokenizer_only: bool,
    /// Anything a reviewer should know about how the page was read.
    pub notes: Vec<String>,
}

/// What the report says about an HTML document (a line of `documents.jsonl` carries it).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HtmlSummary {
    /// Title, canonical URL, publication date, author, when the page gives them.
    #[serde(flatten)]
    pub meta: PageMeta,
    /// `tree` (parsed, main content selected) or `tokenizer` (fallback: every block kept).
    pub extraction: &'static str,
    /// Notes on the page: fallbacks and why, no `<body>`, no markup.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Page {
    /// The report's view of the page.
    pub fn summary(&self) -> HtmlSummary {
        HtmlSummary {
            meta: self.meta.clone(),
            extraction: if self.tokenizer_only {
                "tokenizer"
            } else {
                "tree"
            },
            notes: self.notes.clone(),
        }
    }
}

/// What a rule (or the lack of one) says about one element.
pub struct Classified {
    /// Never rendered (script, style, …): skipped with everything in it.
    pub invisible: bool,
    /// The first element rule it matches.
    pub hit: Option<u16>,
    /// How strongly it looks like the main content (3 `itemprop=articleBody`, 2 a content
    /// class or id, 1 `<article>`/`<main>`, 0 not).
    pub content: u8,
}

struct ElementRule {
    id: Arc<str>,
    reason: Arc<str>,
    outside_main_only: bool,
}

/// A class/id pattern: its words; the last may be a prefix ("share*").
struct NamePattern {
    rule: u16,
    words: Vec<String>,
    prefix: bool,
}

/// The extract stage's rules, compiled from the `extract` stage of the rule set.
pub struct HtmlRules {
    invisible: Vec<String>,
    rules: Vec<ElementRule>,
    tags: HashMap<String, u16>,
    /// Patterns indexed by their first word (prefix patterns of one word are in `prefixes`).
    names: HashMap<String, Vec<NamePattern>>,
    prefixes: Vec<(String, u16)>,
    hidden: Option<u16>,
    content_tags: Vec<String>,
    content_names: Vec<String>,
    main: Option<(Arc<str>, Arc<str>)>,
    headline: Option<(Arc<str>, Arc<str>)>,
    link_dense: Option<(Arc<str>, Arc<str>)>,
}

/// Splits a class or id token into lower-case words at punctuation and lower→upper changes.
fn name_words(token: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in token.chars() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// A class or id token folded for content-name comparison: lower case, no `-` or `_`.
fn folded(token: &str) -> String {
    token
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn word_matches(word: &str, pattern: &str, prefix: bool) -> bool {
    if prefix {
        word.starts_with(pattern)
    } else {
        word == pattern
            || (word.len() == pattern.len() + 1 && word.ends_with('s') && word.starts_with(pattern))
    }
}

impl HtmlRules {
    /// Compiles the enabled `extract` rules of `rules`.
    pub fn new(rules: &RuleSet) -> Result<HtmlRules, RuleError> {
        let mut out = HtmlRules {
            invisible: Vec::new(),
            rules: Vec::new(),
            tags: HashMap::new(),
            names: HashMap::new(),
            prefixes: Vec::new(),
            hidden: None,
            content_tags: Vec::new(),
            content_names: Vec::new(),
            main: None,
            headline: None,
            link_dense: None,
        };
        for rule in rules.stage(StageName::Extract) {
            let err = |problem: String| RuleError {
                file: rule.source.clone(),
                rule: Some(rule.id.to_string()),
                problem: format!("params: {problem}"),
            };
            let list = |key: &str| -> Result<Vec<String>, RuleError> {
                match rule.params.get(key) {
                    None => Ok(Vec::new()),
                    Some(toml::Value::Array(items)) => items
                        .iter()
                        .map(|v| {
                            v.as_str()
                                .map(|s| s.trim().to_owned())
                                .filter(|s| !s.is_empty())
                                .ok_or_else(|| {
                                    err(format!("'{key}' must be a list of non-empty strings"))
                                })
                        })
                        .collect(),
                    Some(_) => Err(err(format!("'{key}' must be a list of strings"))),
                }
            };
            for key in rule.params.keys() {
                if !matches!(key.as_str(), "tags" | "names" | "scope") {
                    return Err(err(format!(
                        "unknown key '{key}' (expected tags, names, scope)"
                    )));
                }
            }
            let tags: Vec<String> = list("tags")?
                .into_iter()
                .map(|t| t.to_ascii_lowercase())
                .collect();
            let names = list("names")?;
            let pair = (Arc::clone(&rule.id), Arc::clone(&rule.reason));
            match &*rule.id {
                "html.invisible.v1" => {
                    out.invisible = tags;
                    continue;
                }
                "html.main-content.v1" => {
                    out.content_tags = tags;
                    out.content_names = names.iter().map(|n| folded(n)).collect();
                    out.main = Some(pair);
                    continue;
                }
                "html.headline.v1" => {
                    out.headline = Some(pair);
                    continue;
                }
                "html.link-dense.v1" => {
                    out.link_dense = Some(pair);
                    continue;
                }
                _ => {}
            }
            let hidden = &*rule.id == "html.hidden.v1";
            if tags.is_empty() && names.is_empty() && !hidden {
                return Err(err(
                    "an element rule needs 'tags' or 'names' (a list of strings)".to_owned(),
                ));
            }
            let outside_main_only = match rule.params.get("scope") {
                None => false,
                Some(toml::Value::String(s)) if s == "anywhere" => false,
                Some(toml::Value::String(s)) if s == "outside-main" => true,
                Some(_) => {
                    return Err(err(
                        "'scope' must be \"anywhere\" or \"outside-main\"".to_owned()
                    ))
                }
            };
            let index = out.rules.len() as u16;
            if hidden {
                out.hidden = Some(index);
            }
            for tag in tags {
                out.tags.entry(tag).or_insert(index);
            }
            for name in names {
                let prefix = name.ends_with('*');
                let words = name_words(name.trim_end_matches('*'));
                if words.is_empty() {
                    return Err(err(format!("name '{name}' has no letters")));
                }
                if prefix && words.len() == 1 {
                    out.prefixes.push((words[0].clone(), index));
                } else {
                    out.names
                        .entry(words[0].clone())
                        .or_default()
                        .push(NamePattern {
                            rule: index,
                            words,
                            prefix,
                        });
                }
            }
            out.rules.push(ElementRule {
                id: pair.0,
                reason: pair.1,
                outside_main_only,
            });
        }
        Ok(out)
    }

    /// Whether `tag` is never rendered.
    pub fn is_invisible(&self, tag: &str) -> bool {
        self.invisible.iter().any(|t| t == tag)
    }

    fn match_words(&self, words: &[String]) -> Option<u16> {
        let mut best: Option<u16> = None;
        let mut consider = |r: u16| {
            if best.is_none_or(|b| r < b) {
                best = Some(r);
            }
        };
        for (i, word) in words.iter().enumerate() {
            for (prefix, rule) in &self.prefixes {
                if word.starts_with(prefix.as_str()) {
                    consider(*rule);
                }
            }
            let singular = word.strip_suffix('s');
            for key in std::iter::once(word.as_str()).chain(singular) {
                let Some(patterns) = self.names.get(key) else {
                    continue;
                };
                for p in patterns {
                    let n = p.words.len();
                    if i + n > words.len() {
                        continue;
                    }
                    let ok = (0..n)
                        .all(|k| word_matches(&words[i + k], &p.words[k], p.prefix && k == n - 1));
                    if ok {
                        consider(p.rule);
                    }
                }
            }
        }
        best
    }

    /// What the rules say about one element.
    pub fn classify(&self, element: &scraper::node::Element) -> Classified {
        let tag = element.name();
        let invisible = self.is_invisible(tag);
        let mut hit = self.tags.get(tag).copied();
        let mut content = 0u8;
        if self.main.is_some() {
            if element
                .attr("itemprop")
                .is_some_and(|p| p.eq_ignore_ascii_case("articlebody"))
            {
                content = 3;
            } else if self.content_tags.iter().any(|t| t == tag) {
                content = 1;
            }
        }
        let class = element.attr("class");
        let id = element.attr("id");
        if content < 2 && !self.content_names.is_empty() {
            let tokens = class
                .into_iter()
                .flat_map(str::split_ascii_whitespace)
                .chain(id);
            for token in tokens {
                let f = folded(token);
                if !f.is_empty() && self.content_names.iter().any(|n| f.starts_with(n.as_str())) {
                    content = 2;
                    break;
                }
            }
        }
        // The page's outer elements carry layout classes ("has-sidebar comments-open") and an
        // element named as content is not chrome: names never make these a rule's target.
        let named_ok = content == 0 && !matches!(tag, "html" | "body" | "article" | "main");
        if named_ok && (class.is_some() || id.is_some()) {
            let tokens = class
                .into_iter()
                .flat_map(str::split_ascii_whitespace)
                .chain(id);
            for token in tokens {
                if let Some(r) = self.match_words(&name_words(token)) {
                    if hit.is_none_or(|h| r < h) {
                        hit = Some(r);
                    }
                }
            }
        }
        if let Some(hidden) = self.hidden {
            if is_hidden(element) {
                hit = Some(hidden);
            }
        }
        Classified {
            invisible,
            hit,
            content,
        }
    }
}

fn is_hidden(element: &scraper::node::Element) -> bool {
    if element.attr("hidden").is_some() {
        return true;
    }
    if element
        .attr("aria-hidden")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    if let Some(style) = element.attr("style") {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        return style.contains("display:none") || style.contains("visibility:hidden");
    }
    false
}

/// Estimates how deeply a page nests elements, with a byte scan that never builds a tree:
/// start tags count up and end tags down; void and self-closing elements and elements whose
/// end tag may be left out (`p`, `li`, `td`, …) are not counted, and script and style
/// contents are skipped.
pub fn nesting_depth(html: &[u8]) -> usize {
    const FLAT: &[&[u8]] = &[
        b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
        b"source", b"track", b"wbr", b"p", b"li", b"td", b"th", b"tr", b"dt", b"dd", b"option",
        b"param", b"keygen", b"image",
    ];
    let mut depth: usize = 0;
    let mut max = 0;
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &html[at..]) {
        let start = at + found + 1;
        at = start;
        let Some(&first) = html.get(start) else { break };
        if first == b'/' {
            depth = depth.saturating_sub(1);
            continue;
        }
        if !first.is_ascii_alphabetic() {
            continue;
        }
        let mut end = start;
        while end < html.len() && end - start < 16 && html[end].is_ascii_alphanumeric() {
            end += 1;
        }
        let name = html[start..end].to_ascii_lowercase();
        if FLAT.contains(&name.as_slice()) {
            continue;
        }
        if name == b"script" || name == b"style" {
            // Jump to the matching end tag: "i<n" in a script is no element.
            let close: &[u8] = if name == b"script" {
                b"</script"
            } else {
                b"</style"
            };
            let mut pos = end;
            loop {
                match memchr::memchr(b'<', &html[pos..]) {
                    None => return max,
                    Some(f) => {
                        pos += f;
                        if html.len() >= pos + close.len()
                            && html[pos..pos + close.len()].eq_ignore_ascii_case(close)
                        {
                            at = pos + close.len();
                            break;
                        }
                        pos += 1;
                    }
                }
            }
            continue;
        }
        // A self-closing start tag ("<div/>" in XHTML) opens nothing.
        if let Some(gt) = memchr::memchr(b'>', &html[end..]) {
            if gt > 0 && html[end + gt - 1] == b'/' {
                continue;
            }
        }
        depth += 1;
        max = max.max(depth);
    }
    max
}

/// Renders an HTML page (already decoded) to its visible text and block table, with the
/// guards against hostile input: size cap, nesting-depth pre-scan and time budget, each of
/// which falls back to tokenizer-only extraction and says so in the page's notes.
pub fn render_page(html: &str, rules: &HtmlRules) -> Page {
    let started = Instant::now();
    let html = html.strip_prefix('\u{FEFF}').unwrap_or(html);
    let mut notes = Vec::new();
    let head = &html.as_bytes()[..html.len().min(4096)];
    if !html.trim().is_empty() && memchr::memchr(b'<', head).is_none() {
        notes.push("no markup in the first 4 KiB: not an HTML page?".to_owned());
    }
    let mut page = if html.len() > TREE_MAX_BYTES {
        fallback::render_tokens(
            html,
            rules,
            format!(
                "page is {} bytes, over the tree parser's cap of {} bytes",
                html.len(),
                TREE_MAX_BYTES
            ),
        )
    } else {
        let depth = nesting_depth(html.as_bytes());
        if depth > MAX_DEPTH {
            fallback::render_tokens(
                html,
                rules,
                format!("elements nested about {depth} deep, over the limit of {MAX_DEPTH}"),
            )
        } else {
            let parsed = scraper::Html::parse_document(html);
            match render::render_tree(&parsed, rules, html.len() / 3, started + TIME_BUDGET) {
                Ok(page) => page,
                Err(render::OverBudget) => fallback::render_tokens(
                    html,
                    rules,
                    format!("over the time budget of {} s", TIME_BUDGET.as_secs()),
                ),
            }
        }
    };
    if !html.trim().is_empty() && !has_body_tag(html.as_bytes()) {
        // The parser supplies a body; the note tells a reviewer the page was a fragment or
        // truncated before its body.
        notes.push("no <body> tag".to_owned());
    }
    if page.blocks.is_empty() && !html.trim().is_empty() {
        notes.push("no visible text".to_owned());
    }
    page.notes.extend(notes);
    page
}

fn has_body_tag(html: &[u8]) -> bool {
    memchr::memmem::find_iter(html, b"<")
        .any(|at| html.len() >= at + 5 && html[at + 1..at + 5].eq_ignore_ascii_case(b"body"))
}

/// Why a block is dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Why {
    Element(u16),
    OutsideMain,
    Headline,
    LinkDense,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Drop {
    why: Why,
    culprit: NodeId,
    suspect: bool,
}

/// How much prose (good) and chrome (bad) a block holds, in characters.
fn quality(block: &Block, text: &str) -> (f32, f32) {
    let chars = block.chars as f32;
    if chars == 0.0 {
        return (0.0, 0.0);
    }
    let ld = block.link_chars as f32 / chars;
    if matches!(block.kind, BlockKind::Heading(_)) {
        return (0.0, 0.0);
    }
    if ld >= 0.5 {
        return (0.0, chars);
    }
    let body = &text[block.start..block.end];
    let sentence = body
        .chars()
        .any(|c| matches!(c, '.' | '!' | '?' | '。' | '！' | '？' | '؟' | '।'));
    if chars >= 80.0 || (chars >= 25.0 && sentence) {
        (chars * (1.0 - ld), chars * ld)
    } else {
        (0.0, chars * 0.5)
    }
}

/// How much the chrome in a subtree counts against it, per character, against prose.
const CHROME_WEIGHT: f32 = 1.0;

fn fold_title(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Decides, block by block, what is dropped and why. Returns the decisions and the element
/// chosen as the main content.
fn decide(page: &Page, rules: &HtmlRules) -> (Vec<Option<Drop>>, NodeId) {
    let blocks = &page.blocks;
    let nodes = &page.nodes;
    let n = nodes.len();
    if page.tokenizer_only || blocks.is_empty() || n == 0 {
        return (vec![None; blocks.len()], 0);
    }
    let q: Vec<(f32, f32)> = blocks.iter().map(|b| quality(b, &page.text)).collect();

    let subtree = |demote: Option<&[bool]>| -> (Vec<f32>, Vec<f32>) {
        let mut good = vec![0f32; n];
        let mut bad = vec![0f32; n];
        for (b, &(g, x)) in blocks.iter().zip(&q) {
            let at = b.node as usize;
            if demote.is_some_and(|d| d[at]) {
                bad[at] += g + x;
            } else {
                good[at] += g;
                bad[at] += x;
            }
        }
        for i in (1..n).rev() {
            let p = nodes[i].parent as usize;
            good[p] += good[i];
            bad[p] += bad[i];
        }
        (good, bad)
    };
    let (raw_good, raw_bad) = subtree(None);

    // Repeated records: an element with three or more children of the same tag and class
    // that each hold two or more blocks, some of them chrome-like (a comment: name, date,
    // text, "Reply"; a teaser: linked title, blurb). Prose in them counts against a
    // container when choosing the main content; nothing is dropped for it alone.
    let mut own_blocks = vec![0u32; n];
    for b in blocks {
        own_blocks[b.node as usize] += 1;
    }
    for i in (1..n).rev() {
        let p = nodes[i].parent as usize;
        own_blocks[p] += own_blocks[i];
    }
    let mut groups: HashMap<(NodeId, u32), u32> = HashMap::new();
    for i in 1..n {
        // Records are items (div, li, article, section), never tables or lists of data.
        let tag = nodes[i].desc[1..].split([' ', '>']).next().unwrap_or("");
        let item = matches!(tag, "div" | "li" | "article" | "section");
        if item && own_blocks[i] >= 2 && raw_bad[i] > 0.0 && raw_good[i] < 1500.0 {
            *groups
                .entry((nodes[i].parent, nodes[i].signature))
                .or_default() += 1;
        }
    }
    let mut records = vec![false; n];
    for ((parent, _), count) in groups {
        if count >= 3 && parent != 0 {
            records[parent as usize] = true;
        }
    }
    // Chrome: inside an element some rule names, or inside repeated records.
    let mut chrome = vec![false; n];
    for i in 1..n {
        chrome[i] = nodes[i].hit.is_some() || records[i] || chrome[nodes[i].parent as usize];
    }
    let best_of = |good: &[f32], bad: &[f32]| -> (usize, f32) {
        let mut best = (0usize, f32::MIN);
        for i in 0..n {
            let s = good[i] - CHROME_WEIGHT * bad[i];
            if s >= best.1 {
                best = (i, s);
            }
        }
        best
    };
    let (mut good, mut bad) = subtree(Some(&chrome));
    let (mut best, mut best_score) = best_of(&good, &bad);
    // A name can be wrong: a layout wrapper called "content-with-sidebar" holds the whole
    // page. When the prose left after demotion is thin and the best block of prose without
    // it lies inside one named element that holds nearly all of the page's prose, score
    // without names.
    let (raw_best, _) = best_of(&raw_good, &raw_bad);
    if good[best] < 0.3 * raw_good[0] && chrome[raw_best] {
        let mut outer = None;
        let mut at = raw_best;
        while at != 0 {
            if nodes[at].hit.is_some() || records[at] {
                outer = Some(at);
            }
            at = nodes[at].parent as usize;
        }
        if outer.is_some_and(|c| raw_good[c] >= 0.8 * raw_good[0]) {
            (good, bad) = (raw_good.clone(), raw_bad.clone());
            (best, best_score) = best_of(&good, &bad);
        }
    }
    let mut main = best;
    if rules.main.is_some() {
        let mut pick: Option<(usize, f32, u8)> = None;
        for i in 1..n {
            let rank = nodes[i].content;
            if rank == 0 || good[i] <= 0.0 {
                continue;
            }
            let s = good[i] - CHROME_WEIGHT * bad[i];
            let enough = if rank == 3 {
                s >= 0.5 * best_score
            } else {
                s >= 0.85 * best_score
            };
            if enough && pick.is_none_or(|(_, ps, pr)| (s, rank) > (ps, pr)) {
                pick = Some((i, s, rank));
            }
        }
        if let Some((i, _, _)) = pick {
            main = i;
        }
    }
    let main_id = main as NodeId;
    let mut ancestor_of_main = vec![false; n];
    let mut at = main;
    loop {
        ancestor_of_main[at] = true;
        if at == 0 {
            break;
        }
        at = nodes[at].parent as usize;
    }
    // A body split in parts by an advertisement or a widget: siblings of the main content
    // with the same tag and class that hold more prose than chrome belong to it too.
    let mut in_main = vec![false; n];
    in_main[main] = true;
    if main != 0 {
        let parent = nodes[main].parent;
        for i in 1..n {
            if nodes[i].parent == parent
                && nodes[i].signature == nodes[main].signature
                && !chrome[i]
                && good[i] > bad[i]
            {
                in_main[i] = true;
            }
        }
    }
    let mut culprit: Vec<Option<NodeId>> = vec![None; n];
    for i in 1..n {
        let p = nodes[i].parent as usize;
        in_main[i] = in_main[i] || in_main[p];
        culprit[i] = culprit[p].or_else(|| {
            let hit = nodes[i].hit?;
            let rule = &rules.rules[hit as usize];
            let applies = !(ancestor_of_main[i] || rule.outside_main_only && in_main[i]);
            applies.then_some(i as NodeId)
        });
    }

    let title = page.meta.title.as_deref().map(fold_title);
    let mut seen_prose_in_main = false;
    let mut decisions: Vec<Option<Drop>> = Vec::with_capacity(blocks.len());
    for (b, &(g, _)) in blocks.iter().zip(&q) {
        let node = b.node as usize;
        let decision = if let Some(c) = culprit[node] {
            let inside = in_main[c as usize];
            // A chrome-named element holding much of the main text is more likely misnamed
            // than chrome: reported, not applied.
            let big = inside && raw_good[c as usize] > 0.4 * raw_good[main];
            Some(Drop {
                why: Why::Element(nodes[c as usize].hit.expect("culprits have a hit")),
                culprit: c,
                suspect: big,
            })
        } else if !in_main[node] {
            rules.main.as_ref().map(|_| Drop {
                why: Why::OutsideMain,
                culprit: main_id,
                suspect: false,
            })
        } else {
            let body = &page.text[b.start..b.end];
            let headline = rules.headline.is_some()
                && match b.kind {
                    BlockKind::Heading(1) => !seen_prose_in_main,
                    BlockKind::Heading(2) => title.as_ref().is_some_and(|t| {
                        let h = fold_title(body);
                        h.len() > 10 && t.starts_with(&h)
                    }),
                    _ => false,
                };
            // Mostly links, or a short line that is half link ("Read more: <a>…</a>").
            let ld = b.link_chars as f32 / b.chars.max(1) as f32;
            let link_dense =
                rules.link_dense.is_some() && (ld >= 0.7 || (ld >= 0.45 && b.chars < 120));
            if headline {
                Some(Drop {
                    why: Why::Headline,
                    culprit: b.node,
                    suspect: false,
                })
            } else if link_dense {
                Some(Drop {
                    why: Why::LinkDense,
                    culprit: b.node,
                    suspect: false,
                })
            } else {
                None
            }
        };
        if decision.is_none() && in_main[node] && g > 0.0 {
            seen_prose_in_main = true;
        }
        decisions.push(decision);
    }

    // Never an empty output: if nothing would be kept, keep the main content's blocks (its
    // drops become suspects), and failing that, everything.
    let kept = |d: &[Option<Drop>]| d.iter().any(|d| d.is_none_or(|d| d.suspect));
    if !kept(&decisions) {
        for (b, d) in blocks.iter().zip(decisions.iter_mut()) {
            if let Some(d) = d {
                if in_main[b.node as usize] {
                    d.suspect = true;
                }
            }
        }
        if !kept(&decisions) {
            for d in decisions.iter_mut().flatten() {
                d.suspect = true;
            }
        }
    }
    (decisions, main_id)
}

/// The extract step: deletion edits for the blocks of a rendered page that are not its main
/// text. Runs first, on the text exactly as rendered; does nothing for text documents.
pub struct Extract {
    rules: Arc<HtmlRules>,
}

impl Extract {
    /// The step, with the compiled rules.
    pub fn new(rules: Arc<HtmlRules>) -> Extract {
        Extract { rules }
    }
}

impl Step for Extract {
    fn stage(&self) -> StageName {
        StageName::Extract
    }

    fn name(&self) -> &'static str {
        "extract"
    }

    fn edits(&self, doc: &Document, _stats: &CorpusStats) -> Vec<Edit> {
        let Some(page) = &doc.html else {
            return Vec::new();
        };
        if page.text != doc.text {
            return Vec::new(); // block offsets only hold for the text as rendered
        }
        edits(page, &self.rules)
    }
}

/// The extract stage's edits for a rendered page.
pub fn edits(page: &Page, rules: &HtmlRules) -> Vec<Edit> {
    let (decisions, _main) = decide(page, rules);
    let blocks = &page.blocks;
    let mut out: Vec<Edit> = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        let Some(drop) = decisions[i] else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < blocks.len() && decisions[j] == Some(drop) {
            j += 1;
        }
        let start = blocks[i].start;
        let end = blocks.get(j).map_or(page.text.len(), |b| b.start);
        let desc = &page.nodes[drop.culprit as usize].desc;
        let (rule, reason): (Arc<str>, String) = match drop.why {
            Why::Element(r) => {
                let r = &rules.rules[r as usize];
                (Arc::clone(&r.id), format!("{} ({desc})", r.reason))
            }
            Why::OutsideMain => {
                let (id, reason) = rules.main.as_ref().expect("only with the rule");
                let main = if drop.culprit == 0 {
                    "the whole page".to_owned()
                } else {
                    desc.to_string()
                };
                (Arc::clone(id), format!("{reason} ({main})"))
            }
            Why::Headline => {
                let (id, reason) = rules.headline.as_ref().expect("only with the rule");
                (Arc::clone(id), reason.to_string())
            }
            Why::LinkDense => {
                let (id, reason) = rules.link_dense.as_ref().expect("only with the rule");
                let b = &blocks[i];
                let share = 100 * b.link_chars / b.chars.max(1);
                (Arc::clone(id), format!("{reason} ({share}% link text)"))
            }
        };
        out.push(Edit {
            range: start..end,
            replacement: String::new(),
            stage: StageName::Extract,
            rule,
            reason: Arc::from(reason),
            confidence: if drop.suspect { 0.5 } else { 1.0 },
            verdict: if drop.suspect {
                Verdict::Suspect
            } else {
                Verdict::Applied
            },
        });
        i = j;
    }
    out
}

/// The main text of a page with the extract stage's drops applied and nothing else (what the
/// survey pass counts for HTML inputs).
pub fn main_text(page: &Page, rules: &HtmlRules) -> String {
    let mut records = Vec::new();
    crate::edit::apply(&page.text, edits(page, rules), &mut records)
        .unwrap_or_else(|| page.text.clone())
}

#[cfg(test)]
mod tests;
