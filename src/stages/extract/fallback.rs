//! Tokenizer-only extraction, for pages a tree parser should not be given (too large, nested
//! too deep, or over the time budget). The html5ever tokenizer is linear in the input; tags
//! only mark block boundaries and never-rendered elements are skipped, but without a tree
//! there is no main-content selection: every visible block is kept, and the page is flagged.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::meta::PageMeta;
use super::render::{Sep, Writer, PARA};
use super::{HtmlRules, Page};

struct Sink<'a> {
    writer: Writer,
    rules: &'a HtmlRules,
    /// The never-rendered element being skipped, and how deep in same-named elements.
    skipping: Option<(String, u32)>,
    title: Option<String>,
    in_title: bool,
}

impl TokenSink for Sink<'_> {
    type Handle = ();

    fn process_token(&mut self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                if let Some((skipped, depth)) = &mut self.skipping {
                    if name == skipped.as_str() {
                        match tag.kind {
                            TagKind::StartTag if !tag.self_closing => *depth += 1,
                            TagKind::EndTag => {
                                *depth -= 1;
                                if *depth == 0 {
                                    self.skipping = None;
                                }
                            }
                            _ => {}
                        }
                    }
                    return TokenSinkResult::Continue;
                }
                if name == "title" {
                    self.in_title = tag.kind == TagKind::StartTag;
                    return if self.in_title {
                        TokenSinkResult::RawData(RawKind::Rcdata)
                    } else {
                        TokenSinkResult::Continue
                    };
                }
                let w = &mut self.writer;
                match name {
                    "br" => w.line_break(),
                    "li" | "dt" | "dd" | "tr" => w.boundary(Sep::Line),
                    "td" | "th" if tag.kind == TagKind::StartTag => w.cell(),
                    _ if PARA.contains(&name) => w.boundary(Sep::Para),
                    "a" => {
                        w.inline_edge = true;
                        match tag.kind {
                            TagKind::StartTag => w.links += 1,
                            TagKind::EndTag => w.links = w.links.saturating_sub(1),
                        }
                    }
                    _ => w.inline_edge = true,
                }
                if tag.kind == TagKind::StartTag
                    && !tag.self_closing
                    && self.rules.is_invisible(name)
                    && name != "head"
                {
                    self.skipping = Some((name.to_owned(), 1));
                    return match name {
                        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                            TokenSinkResult::RawData(RawKind::Rawtext)
                        }
                        "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                        _ => TokenSinkResult::Continue,
                    };
                }
                TokenSinkResult::Continue
            }
            Token::CharacterTokens(text) => {
                if self.in_title {
                    if self.title.is_none() {
                        let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
                        if !t.is_empty() {
                            self.title = Some(t);
                        }
                    }
                } else if self.skipping.is_none() {
                    self.writer.text(&text);
                }
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

/// Extracts the visible text of `html` with the tokenizer alone; `why` says why the tree
/// parser was not used (it goes into the page's notes and the report).
pub fn render_tokens(html: &str, rules: &HtmlRules, why: String) -> Page {
    let sink = Sink {
        writer: Writer::new(html.len() / 4),
        rules,
        skipping: None,
        title: None,
        in_title: false,
    };
    let mut tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let mut queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&mut queue);
    tokenizer.end();
    let mut sink = tokenizer.sink;
    sink.writer.close_block();
    Page {
        text: sink.writer.text,
        blocks: sink.writer.blocks,
        nodes: vec![super::render::NodeInfo {
            parent: 0,
            hit: None,
            content: 0,
            desc: "<html>".into(),
            signature: 0,
        }],
        meta: PageMeta {
            title: sink.title,
            ..PageMeta::default()
        },
        tokenizer_only: true,
        notes: vec![format!(
            "tokenizer-only extraction, every visible block kept: {why}"
        )],
    }
}
