use super::*;

fn rules() -> HtmlRules {
    HtmlRules::new(&RuleSet::defaults().unwrap()).unwrap()
}

/// Rendered text and the text after the extract stage's edits.
fn run(html: &str) -> (String, String, Vec<Edit>) {
    let rules = rules();
    let page = render_page(html, &rules);
    let edits = edits(&page, &rules);
    let mut records = Vec::new();
    let kept = crate::edit::apply(&page.text, edits.clone(), &mut records)
        .unwrap_or_else(|| page.text.clone());
    (page.text, kept, edits)
}

#[test]
fn name_words_split_at_punctuation_and_case() {
    assert_eq!(name_words("shareBar"), ["share", "bar"]);
    assert_eq!(name_words("article__body-2"), ["article", "body", "2"]);
    assert_eq!(name_words("sr-only"), ["sr", "only"]);
}

#[test]
fn inline_edges_never_glue_words_but_drop_caps_stay_whole() {
    let (text, _, _) = run(
        "<p><a href=/r>Reuters</a>The story went on.</p><p><span class=dc>T</span>he cat sat.</p>",
    );
    assert_eq!(text, "Reuters The story went on.\n\nThe cat sat.");
    let (text, _, _) = run("<div>Reuters</div>The story<p>said.<b>But</b> then</p>");
    assert_eq!(text, "Reuters\n\nThe story\n\nsaid. But then");
}

#[test]
fn br_lists_tables_and_pre_keep_their_shape() {
    let (text, _, _) = run("<p>one<br>two</p><ul><li>a</li><li>b <i>c</i></li></ul>\
         <table><tr><th>x</th><td>1</td></tr><tr><td>y</td><td>2</td></tr></table>\
         <pre>  code\n    more</pre>");
    assert_eq!(text, "one\ntwo\n\na\nb c\n\nx\t1\ny\t2\n\n  code\n    more");
}

#[test]
fn scripts_styles_and_templates_never_become_text() {
    let (text, _, _) = run(
        "<html><head><title>T</title><style>p{x}</style></head><body><script>if (a<b) x()</script>\
         <noscript>Enable JS</noscript><template><p>tpl</p></template><svg><text>svg</text></svg><p>Body.</p></body></html>",
    );
    assert_eq!(text, "Body.");
}

fn article_page() -> String {
    let para = "This is a sentence of the article body, long enough to count as prose. ";
    format!(
        "<html><head><title>Headline here | Site</title></head><body class=\"single comments-open has-sidebar\">\
         <nav><a href=/>Home</a> <a href=/n>News</a></nav>\
         <div class=wrap><article><h1>Headline here</h1><p class=byline>By A. Writer</p>\
         <p>{p}{p}</p><p>{p}</p><p>Short closing line.</p>\
         <div class=social-share><a href=#>Share</a></div></article>\
         <section id=comments><p>{c}</p><p>{c}</p><p>{c}</p><p>{c}</p></section></div>\
         <div hidden><p>{p}</p></div>\
         <footer><p>Copyright 2024, the site.</p></footer></body></html>",
        p = para,
        c = "A reader's comment that goes on and on, in full sentences, about the article itself."
    )
}

#[test]
fn the_article_is_kept_and_chrome_comments_and_hidden_text_are_dropped_by_rule() {
    let (_, kept, edits) = run(&article_page());
    let para = "This is a sentence of the article body, long enough to count as prose.";
    assert_eq!(
        kept,
        format!("{para} {para}\n\n{para}\n\nShort closing line.\n\n")
    );
    let rules: Vec<&str> = edits.iter().map(|e| &*e.rule).collect();
    for rule in [
        "html.nav.v1",
        "html.headline.v1",
        "html.byline.v1",
        "html.share.v1",
        "html.comments.v1",
        "html.hidden.v1",
        "html.header-footer.v1",
    ] {
        assert!(rules.contains(&rule), "{rule} missing from {rules:?}");
    }
    let comments = edits
        .iter()
        .find(|e| &*e.rule == "html.comments.v1")
        .unwrap();
    assert!(
        comments.reason.contains("<section id=\"comments\">"),
        "{}",
        comments.reason
    );
    assert!(edits.iter().all(|e| e.verdict == Verdict::Applied));
}

#[test]
fn a_chrome_named_wrapper_of_the_whole_text_does_not_empty_the_page() {
    let para = "A long paragraph of real article prose, with commas, that must be kept. ";
    let html = format!(
        "<body><div class=\"content-with-sidebar\"><div class=\"comments-enabled\"><p>{para}</p><p>{para}</p></div></div></body>"
    );
    let (_, kept, _) = run(&html);
    assert!(kept.contains(para.trim()), "{kept:?}");
}

#[test]
fn a_page_of_links_only_is_never_emptied() {
    let (text, kept, edits) = run("<body><nav><a href=/a>One</a> <a href=/b>Two</a></nav></body>");
    assert_eq!(text, "One Two");
    assert_eq!(kept, text);
    assert!(edits.iter().all(|e| e.verdict == Verdict::Suspect));
}

#[test]
fn deep_nesting_falls_back_to_the_tokenizer_and_says_so() {
    let depth = MAX_DEPTH + 5;
    let html = format!(
        "{}<p>deep text</p>{}",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    assert!(nesting_depth(html.as_bytes()) > MAX_DEPTH);
    let rules = rules();
    let page = render_page(&html, &rules);
    assert!(page.tokenizer_only);
    assert_eq!(page.text, "deep text");
    assert!(
        page.notes.iter().any(|n| n.contains("nested")),
        "{:?}",
        page.notes
    );
}

#[test]
fn depth_scan_ignores_scripts_void_and_optional_end_tags() {
    assert_eq!(nesting_depth(b"<div><div></div></div>"), 2);
    assert_eq!(nesting_depth(b"<p>a<p>b<li>c<br><img src=x>"), 0);
    assert_eq!(
        nesting_depth(b"<script>for(i=0;i<n;i++){}</script><div>"),
        1
    );
    assert_eq!(nesting_depth(b"<div/><span>"), 1);
}

#[test]
fn truncated_and_bodyless_pages_still_render_with_a_note() {
    let rules = rules();
    let page = render_page("<p>Half a paragraph that stops mid-<b>wo", &rules);
    assert_eq!(page.text, "Half a paragraph that stops mid-wo");
    assert!(page.notes.iter().any(|n| n.contains("no <body>")));
    let page = render_page("just text, no markup at all", &rules);
    assert!(page.notes.iter().any(|n| n.contains("no markup")));
}

#[test]
fn metadata_comes_from_meta_tags_and_json_ld() {
    let rules = rules();
    let page = render_page(
        r#"<html><head><title>Fallback</title><meta property="og:title" content="Real  title">
        <link rel="canonical" href="https://example.org/x">
        <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2023-02-03","author":{"@type":"Person","name":"Ann Lee"}}</script>
        </head><body><p>x</p></body></html>"#,
        &rules,
    );
    assert_eq!(page.meta.title.as_deref(), Some("Real title"));
    assert_eq!(
        page.meta.canonical.as_deref(),
        Some("https://example.org/x")
    );
    assert_eq!(page.meta.published.as_deref(), Some("2023-02-03"));
    assert_eq!(page.meta.author.as_deref(), Some("Ann Lee"));
}

#[test]
fn element_rule_params_are_validated() {
    let bad = |params: &str| {
        let files = vec![(
            "x.toml".to_owned(),
            format!(
                "stage = \"extract\"\n[[rule]]\nid = \"site.x.v1\"\nreason = \"r\"\n{params}\n"
            ),
        )];
        let set = RuleSet::from_sources(&files).unwrap();
        HtmlRules::new(&set).err().map(|e| e.to_string())
    };
    assert!(bad("params.tags = [\"div\"]").is_none());
    assert!(bad("").unwrap().contains("needs 'tags' or 'names'"));
    assert!(bad("params.names = \"x\"")
        .unwrap()
        .contains("list of strings"));
    assert!(bad("params.tags = [\"a\"]\nparams.scope = \"x\"")
        .unwrap()
        .contains("scope"));
}

#[test]
fn class_words_match_whole_words_plurals_and_prefixes() {
    let rules = rules();
    let html = scraper::Html::parse_fragment(
        r#"<div class="shareBar"></div><div class="commentary-body"></div><div class="post-comments"></div><div class="header-ad"></div><div class="shadow"></div>"#,
    );
    let hits: Vec<Option<&str>> = html
        .root_element()
        .children()
        .filter_map(scraper::ElementRef::wrap)
        .map(|e| {
            rules
                .classify(e.value())
                .hit
                .map(|h| &*rules.rules[h as usize].id)
        })
        .collect();
    assert_eq!(
        hits,
        [
            Some("html.share.v1"),
            None,
            Some("html.comments.v1"),
            Some("html.header-footer.v1"),
            None
        ]
    );
}
