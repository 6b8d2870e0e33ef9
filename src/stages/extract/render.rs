//! Rendering: an HTML page to its visible text, one block per line, with a side table that
//! says which element every block came from.
//!
//! The tree is walked without recursion (first child / next sibling / parent), so a deep page
//! cannot overflow the stack. Block elements end a block; list items, table rows and `<br>`
//! start a new line, table cells are separated by a tab, and a word is never glued to the
//! next across an inline element's edge when the two would read as one ("Reuters</a>The").

use std::time::Instant;

use ego_tree::NodeRef;
use scraper::{Html, Node};

use super::meta::MetaCollector;
use super::{Classified, HtmlRules, Page};

/// Index of an element in [`Page::nodes`]; 0 is the document root.
pub type NodeId = u32;

/// What kind of block a line of the rendered text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// A paragraph, or loose text in a block element.
    Paragraph,
    /// A heading, `<h1>` (1) to `<h6>` (6).
    Heading(u8),
    /// A list item or definition term/description: one per line.
    Item,
    /// A table row, its cells separated by tabs.
    Row,
    /// Preformatted text, its line breaks kept.
    Pre,
}

/// One block of the rendered text.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// Byte range of the block's text in [`Page::text`] (without the separator after it).
    pub start: usize,
    /// End of the block's text.
    pub end: usize,
    /// The innermost block-level (or rule-matching) element the text came from.
    pub node: NodeId,
    /// Characters of text, white space included (an ideograph, kana or hangul counts 3).
    pub chars: u32,
    /// Characters of that text inside links.
    pub link_chars: u32,
    /// Paragraph, heading, list item, …
    pub kind: BlockKind,
}

/// One element of the page, as far as extraction needs to know it.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeInfo {
    /// The parent element (the root is its own parent).
    pub parent: NodeId,
    /// Index (into the extract stage's element rules) of the first rule it matches.
    pub hit: Option<u16>,
    /// How strongly its name marks it as the main content (0: not at all).
    pub content: u8,
    /// `<tag class="…" id="…">`, for reasons in the report.
    pub desc: Box<str>,
    /// Hash of the tag and class attribute: siblings that share it are repeated records
    /// (comments, teasers).
    pub signature: u32,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(super) enum Sep {
    None,
    Space,
    Tab,
    Line,
    Para,
}

struct Frame {
    tree: ego_tree::NodeId,
    node: NodeId,
    boundary: Option<Sep>,
    link: bool,
    pre: bool,
    suppress: bool,
}

/// The walk ran out of time; the caller falls back to tokenizer-only extraction.
pub struct OverBudget;

pub(super) struct Writer {
    pub(super) text: String,
    pub(super) blocks: Vec<Block>,
    pub(super) open: Option<Block>,
    pub(super) pending: Sep,
    pub(super) new_block: bool,
    pub(super) inline_edge: bool,
    pub(super) links: u32,
    pub(super) pre: u32,
    pub(super) suppress: u32,
    pub(super) boundaries: Vec<(NodeId, BlockKind)>,
}

impl Writer {
    pub(super) fn new(capacity: usize) -> Writer {
        Writer {
            text: String::with_capacity(capacity),
            blocks: Vec::new(),
            open: None,
            pending: Sep::None,
            new_block: true,
            inline_edge: false,
            links: 0,
            pre: 0,
            suppress: 0,
            boundaries: vec![(0, BlockKind::Paragraph)],
        }
    }

    pub(super) fn boundary(&mut self, sep: Sep) {
        self.pending = self.pending.max(sep);
        self.new_block = true;
    }

    /// `<br>`: a line break inside the current block.
    pub(super) fn line_break(&mut self) {
        if self.open.is_some() && !self.new_block {
            self.pending = self.pending.max(Sep::Line);
        }
    }

    /// A table cell starts: a tab after the row's previous cell.
    pub(super) fn cell(&mut self) {
        if self.open.is_some() && !self.new_block {
            self.pending = self.pending.max(Sep::Tab);
        }
    }

    pub(super) fn close_block(&mut self) {
        if let Some(mut block) = self.open.take() {
            block.end = self.text.len();
            self.blocks.push(block);
        }
    }

    /// Appends one word (no white space in it) with the separator it is owed.
    fn word(&mut self, word: &str) {
        if word.is_empty() {
            return;
        }
        let first = word.chars().next().expect("not empty");
        if self.new_block || self.open.is_none() {
            self.close_block();
            if !self.text.is_empty() {
                self.text.push_str(if self.pending >= Sep::Para {
                    "\n\n"
                } else {
                    "\n"
                });
            }
            let &(node, kind) = self.boundaries.last().expect("root is never popped");
            self.open = Some(Block {
                start: self.text.len(),
                end: self.text.len(),
                node,
                chars: 0,
                link_chars: 0,
                kind,
            });
            self.new_block = false;
        } else {
            match self.pending {
                Sep::None => {
                    if self.inline_edge && glued(self.text.chars().next_back(), first) {
                        self.text.push(' ');
                    }
                }
                Sep::Space => self.text.push(' '),
                Sep::Tab => self.text.push('\t'),
                Sep::Line | Sep::Para => self.text.push('\n'),
            }
        }
        self.pending = Sep::None;
        self.inline_edge = false;
        self.text.push_str(word);
        let n = if word.is_ascii() {
            word.len() as u32
        } else {
            word.chars().map(weight).sum()
        };
        let block = self.open.as_mut().expect("opened above");
        block.chars += n;
        if self.links > 0 {
            block.link_chars += n;
        }
    }

    pub(super) fn text(&mut self, text: &str) {
        if self.suppress > 0 {
            return;
        }
        if self.pre > 0 {
            // Preformatted: line breaks and spaces kept; each line is written as one piece.
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 && self.open.is_some() && !self.new_block {
                    self.pending = self.pending.max(Sep::Line);
                }
                self.word(line.trim_end_matches('\r'));
            }
            return;
        }
        self.inline_words(text);
    }

    fn inline_words(&mut self, text: &str) {
        let mut words = text.split([' ', '\t', '\n', '\r', '\x0C']);
        if let Some(first) = words.next() {
            self.word(first);
        }
        for word in words {
            if self.open.is_some() && !self.new_block {
                self.pending = self.pending.max(Sep::Space);
            }
            self.word(word);
        }
    }
}

/// How much a character counts as text: an ideograph, kana or hangul syllable carries about
/// as much as a short word, so CJK prose is not outweighed by the same space of Latin chrome.
fn weight(c: char) -> u32 {
    match c as u32 {
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF => {
            3
        }
        _ => 1,
    }
}

/// Whether two pieces of text meeting at an inline element's edge would glue two words:
/// "Reuters" + "The", "said." + "But". A lower-case tail ("T" + "he", a drop cap) is left.
fn glued(prev: Option<char>, next: char) -> bool {
    let Some(prev) = prev else { return false };
    next.is_uppercase()
        && (prev.is_lowercase() || matches!(prev, '.' | ',' | ';' | ':' | '!' | '?'))
}

pub(super) const PARA: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "details",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
];

fn block_kind(tag: &str) -> BlockKind {
    match tag {
        "h1" => BlockKind::Heading(1),
        "h2" => BlockKind::Heading(2),
        "h3" => BlockKind::Heading(3),
        "h4" => BlockKind::Heading(4),
        "h5" => BlockKind::Heading(5),
        "h6" => BlockKind::Heading(6),
        "li" | "dt" | "dd" => BlockKind::Item,
        "tr" => BlockKind::Row,
        "pre" => BlockKind::Pre,
        _ => BlockKind::Paragraph,
    }
}

/// How often the walk looks at the clock.
const CLOCK_EVERY: u32 = 4096;

/// Renders a parsed page. Returns [`OverBudget`] when the walk passes `deadline`.
pub fn render_tree(
    html: &Html,
    rules: &HtmlRules,
    capacity: usize,
    deadline: Instant,
) -> Result<Page, OverBudget> {
    let mut w = Writer::new(capacity);
    let mut nodes: Vec<NodeInfo> = vec![NodeInfo {
        parent: 0,
        hit: None,
        content: 0,
        desc: "<html>".into(),
        signature: 0,
    }];
    let mut meta = MetaCollector::default();
    let mut frames: Vec<Frame> = Vec::new();
    let mut ticks = 0u32;

    let root = html.tree.root();
    let mut node: NodeRef<Node> = root;
    let mut descend = true;
    loop {
        if descend {
            if let Some(child) = node.first_child() {
                node = child;
                ticks += 1;
                if ticks % CLOCK_EVERY == 0 && Instant::now() > deadline {
                    return Err(OverBudget);
                }
                descend = enter(node, &mut w, &mut nodes, &mut frames, &mut meta, rules);
                continue;
            }
        }
        // Leave `node`, then go to its next sibling or up.
        loop {
            if node.id() == root.id() {
                break;
            }
            leave(node, &mut w, &mut frames);
            if let Some(sibling) = node.next_sibling() {
                node = sibling;
                descend = enter(node, &mut w, &mut nodes, &mut frames, &mut meta, rules);
                break;
            }
            node = node.parent().expect("below the root");
        }
        if node.id() == root.id() {
            break;
        }
    }
    w.close_block();
    let notes = Vec::new();
    Ok(Page {
        text: w.text,
        blocks: w.blocks,
        nodes,
        meta: meta.finish(),
        tokenizer_only: false,
        notes,
    })
}

fn enter(
    node: NodeRef<Node>,
    w: &mut Writer,
    nodes: &mut Vec<NodeInfo>,
    frames: &mut Vec<Frame>,
    meta: &mut MetaCollector,
    rules: &HtmlRules,
) -> bool {
    match node.value() {
        Node::Text(text) => {
            w.text(text);
            false
        }
        Node::Element(element) => {
            let tag = element.name();
            meta.element(node, element);
            let parent = frames.last().map_or(0, |f| f.node);
            if tag == "br" {
                w.line_break();
                return false;
            }
            let Classified {
                invisible,
                hit,
                content,
            } = rules.classify(element);
            if invisible && tag != "head" {
                // Skipped with everything in it: nothing of it is ever rendered.
                if PARA.contains(&tag) {
                    w.boundary(Sep::Para);
                }
                return false;
            }
            let id = nodes.len() as NodeId;
            let class = element.attr("class").unwrap_or("");
            let signature = xxhash_rust::xxh3::xxh3_64(format!("{tag} {class}").as_bytes()) as u32;
            nodes.push(NodeInfo {
                parent,
                hit,
                content,
                desc: describe(element),
                signature,
            });
            let boundary = match tag {
                "li" | "dt" | "dd" | "tr" => Some(Sep::Line),
                "td" | "th" => None,
                _ if PARA.contains(&tag) => Some(Sep::Para),
                // An inline element a rule names becomes its own block, so it can be dropped
                // without taking the sentence around it.
                _ if hit.is_some() => Some(Sep::Para),
                _ => None,
            };
            match boundary {
                Some(sep) => {
                    w.boundary(sep);
                    w.boundaries.push((id, block_kind(tag)));
                }
                None if matches!(tag, "td" | "th") => w.cell(),
                None => w.inline_edge = true,
            }
            let link = tag == "a";
            let pre = matches!(tag, "pre" | "textarea" | "listing");
            let suppress = invisible; // only <head> gets here invisible
            w.links += link as u32;
            w.pre += pre as u32;
            w.suppress += suppress as u32;
            frames.push(Frame {
                tree: node.id(),
                node: id,
                boundary,
                link,
                pre,
                suppress,
            });
            true
        }
        Node::Document | Node::Fragment => true,
        _ => false,
    }
}

fn leave(node: NodeRef<Node>, w: &mut Writer, frames: &mut Vec<Frame>) {
    if !matches!(node.value(), Node::Element(_)) {
        return;
    }
    // Only elements that were entered (not skipped) pushed a frame.
    if frames.last().map(|f| f.tree) != Some(node.id()) {
        return;
    }
    let frame = frames.pop().expect("checked");
    match frame.boundary {
        Some(sep) => {
            w.boundary(sep);
            w.boundaries.pop();
        }
        None => w.inline_edge = true,
    }
    w.links -= frame.link as u32;
    w.pre -= frame.pre as u32;
    w.suppress -= frame.suppress as u32;
}

/// `<tag class="…" id="…">`, at most about 100 characters, for reasons in the report.
fn describe(element: &scraper::node::Element) -> Box<str> {
    let mut out = format!("<{}", element.name());
    for key in ["id", "class", "itemprop", "role"] {
        if let Some(value) = element.attr(key) {
            let value: String = value.split_whitespace().collect::<Vec<_>>().join(" ");
            let value: String = value.chars().take(60).collect();
            out.push_str(&format!(" {key}=\"{value}\""));
        }
    }
    out.push('>');
    out.into_boxed_str()
}
