//! Page metadata: title, canonical URL, publication date and author, gathered during the same
//! walk that renders the page (from `<title>`, `<meta>`, `<link rel=canonical>`, JSON-LD,
//! `<time>` and `itemprop` attributes), so it costs no extra pass.

use ego_tree::NodeRef;
use scraper::node::Element;
use scraper::Node;
use serde::Serialize;

/// What a page says about itself. Every field is optional: many pages lack some.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PageMeta {
    /// The headline: `og:title`, else `<title>`, else the first `<h1>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `<link rel="canonical">`, else `og:url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    /// Publication date as the page gives it (usually ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Author name(s).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

/// Collects metadata from elements as the walk meets them; the first good value wins,
/// except that a stronger source replaces a weaker one (`og:title` over `<title>`).
#[derive(Default)]
pub struct MetaCollector {
    og_title: Option<String>,
    title: Option<String>,
    h1: Option<String>,
    canonical: Option<String>,
    og_url: Option<String>,
    published: Option<String>,
    time: Option<String>,
    author: Option<String>,
}

/// Text of an element's direct and nested text nodes, white space collapsed, at most `max`
/// bytes gathered (walked without recursion).
pub fn element_text(node: NodeRef<Node>, max: usize) -> String {
    let mut out = String::new();
    for edge in node.traverse() {
        if let ego_tree::iter::Edge::Open(n) = edge {
            if let Node::Text(t) = n.value() {
                out.push_str(t);
                out.push(' ');
                if out.len() > max {
                    break;
                }
            }
        }
    }
    collapse(&out)
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn set(slot: &mut Option<String>, value: &str) {
    let value = collapse(value);
    if slot.is_none() && !value.is_empty() {
        *slot = Some(value.chars().take(500).collect());
    }
}

impl MetaCollector {
    /// Looks at one element.
    pub fn element(&mut self, node: NodeRef<Node>, element: &Element) {
        match element.name() {
            "title" if self.title.is_none() => set(&mut self.title, &element_text(node, 1000)),
            "h1" if self.h1.is_none() => set(&mut self.h1, &element_text(node, 1000)),
            "meta" => {
                let key = element
                    .attr("property")
                    .or_else(|| element.attr("name"))
                    .or_else(|| element.attr("itemprop"))
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let Some(content) = element.attr("content") else {
                    return;
                };
                match key.as_str() {
                    "og:title" | "twitter:title" => set(&mut self.og_title, content),
                    "og:url" => set(&mut self.og_url, content),
                    "article:published_time"
                    | "datepublished"
                    | "date"
                    | "pubdate"
                    | "publishdate"
                    | "publish-date"
                    | "dc.date"
                    | "dc.date.issued"
                    | "dcterms.date"
                    | "sailthru.date"
                    | "parsely-pub-date"
                    | "og:published_time" => set(&mut self.published, content),
                    "author" | "article:author" | "dc.creator" | "parsely-author"
                    | "sailthru.author"
                        if !content.starts_with("http") =>
                    {
                        set(&mut self.author, content)
                    }
                    _ => {}
                }
            }
            "link" => {
                let rel = element.attr("rel").unwrap_or("");
                if rel
                    .split_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("canonical"))
                {
                    if let Some(href) = element.attr("href") {
                        set(&mut self.canonical, href);
                    }
                }
            }
            "script"
                if element
                    .attr("type")
                    .is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json")) =>
            {
                let json = element_text(node, 200_000);
                if let Some(date) = json_string_after(&json, "\"datePublished\"") {
                    set(&mut self.published, &date);
                }
                if let Some(at) = json.find("\"author\"") {
                    let rest = &json[at + 8..];
                    let direct = json_string_after(&json[at..], "\"author\"");
                    let named = json_string_after(&rest[..rest.len().min(400)], "\"name\"");
                    if let Some(name) = direct.or(named) {
                        if !name.starts_with("http") {
                            set(&mut self.author, &name);
                        }
                    }
                }
            }
            "time" if self.time.is_none() => {
                if let Some(dt) = element.attr("datetime") {
                    set(&mut self.time, dt);
                }
            }
            _ => {}
        }
        if let Some(prop) = element.attr("itemprop") {
            match prop {
                "datePublished" => {
                    if let Some(v) = element.attr("content").or_else(|| element.attr("datetime")) {
                        set(&mut self.published, v);
                    }
                }
                "author" if self.author.is_none() && element.name() != "meta" => {
                    set(&mut self.author, &element_text(node, 200))
                }
                _ => {}
            }
        }
        if element.name() == "a"
            && self.author.is_none()
            && element
                .attr("rel")
                .is_some_and(|r| r.split_whitespace().any(|r| r == "author"))
        {
            set(&mut self.author, &element_text(node, 200));
        }
    }

    /// The metadata found.
    pub fn finish(self) -> PageMeta {
        PageMeta {
            title: self.og_title.or(self.title).or(self.h1),
            canonical: self.canonical.or(self.og_url),
            published: self.published.or(self.time),
            author: self.author,
        }
    }
}

/// The string value right after `"key"` and a colon, if it is a string: `"key": "value"`.
fn json_string_after(json: &str, key: &str) -> Option<String> {
    let at = json.find(key)? + key.len();
    let rest = json[at..].trim_start();
    let rest = rest.strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => {
                if let Some(e) = chars.next() {
                    out.push(match e {
                        'n' | 't' | 'r' => ' ',
                        other => other,
                    });
                }
            }
            c => out.push(c),
        }
        if out.len() > 500 {
            return Some(out);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings() {
        assert_eq!(
            json_string_after(
                r#"{"datePublished" : "2024-01-02T03:04"}"#,
                "\"datePublished\""
            ),
            Some("2024-01-02T03:04".to_owned())
        );
        assert_eq!(
            json_string_after(r#"{"author": {"@type"}}"#, "\"author\""),
            None
        );
    }
}
