//! The default boilerplate rules on realistic pages: site chrome of every category goes, each
//! with the rule meant for it, and article prose — even prose that mentions comments, sharing,
//! cookies, newsletters or copyright — stays byte for byte, wherever it sits in the article.

use std::sync::OnceLock;

use unscrape::{Cleaned, Cleaner, StageName, Verdict};

fn clean(text: &str) -> Cleaned {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER
        .get_or_init(Cleaner::with_defaults)
        .clean_text("test", text)
}

/// The non-blank lines of a text, trimmed of their line break only.
fn lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.trim().is_empty()).collect()
}

/// One line of a page: article prose (must stay) or chrome (must go, by this rule).
#[derive(Clone, Copy)]
enum Line {
    Prose(&'static str),
    Chrome(&'static str, &'static str),
}
use Line::{Chrome, Prose};

/// Builds a page (paragraphs separated by blank lines, as scraped text usually is), cleans it,
/// and checks that exactly the prose is left, in order and byte-identical, and that every
/// chrome line was removed by the rule named for it.
fn check_page(page: &[Line]) {
    let text: String = page
        .iter()
        .map(|l| match l {
            Prose(s) | Chrome(s, _) => format!("{s}\n\n"),
        })
        .collect();
    let cleaned = clean(&text);
    let prose: Vec<&str> = page
        .iter()
        .filter_map(|l| match l {
            Prose(s) => Some(*s),
            Chrome(..) => None,
        })
        .collect();
    assert_eq!(
        lines(&cleaned.doc.text),
        prose,
        "kept lines differ from the prose; records: {:#?}",
        cleaned.records
    );
    for line in page {
        match line {
            Chrome(chrome, rule) => {
                let record = cleaned
                    .records
                    .iter()
                    .find(|r| r.stage == StageName::Boilerplate && r.before.trim() == *chrome)
                    .unwrap_or_else(|| panic!("no edit removed {chrome:?}"));
                assert_eq!(&*record.rule, *rule, "rule that removed {chrome:?}");
                assert_eq!(record.status, Verdict::Applied, "{chrome:?}");
            }
            Prose(prose) => assert!(
                !cleaned.records.iter().any(|r| r.before.contains(prose)),
                "an edit touched prose {prose:?}"
            ),
        }
    }
    // Cleaning is idempotent: the cleaned page has no chrome left to find.
    let again = clean(&cleaned.doc.text);
    assert_eq!(again.doc.text, cleaned.doc.text);
    assert_eq!(again.applied(), 0, "{:#?}", again.records);
}

// ----- article prose ------------------------------------------------------------------------

const BUS_TITLE: &str = "Council approves bus network expansion after a year of debate";
const BUS: [&str; 6] = [
    "The city council voted 7-2 on Tuesday to expand the bus network into the northern suburbs, ending more than a year of debate over how the service should be paid for.",
    "The plan adds four routes and raises weekday frequency on the busiest corridors to a bus every ten minutes, according to figures presented to councillors.",
    "Residents who spoke at the meeting were largely supportive, although several shop owners on Mill Road said the new stops would take away parking their customers rely on.",
    "“This is the most significant change to the network in a generation,” said councillor Maria Okafor, who chairs the transport committee.",
    "The regional transit authority is expected to approve the funding next month, and the first new routes could begin running in September.",
    "Fares will not change this year.",
];

const TERN_TITLE: &str =
    "Researchers map the migration routes of Arctic terns in unprecedented detail";
const TERN: [&str; 6] = [
    "Arctic terns fly farther than any other animal on Earth, and a new study has tracked 48 of the birds across a full year using tags that weigh less than a paperclip.",
    "The birds left their breeding grounds in Greenland in late August and followed the coast of West Africa before splitting into two groups in the South Atlantic.",
    "One group crossed to Brazil and hugged the South American coast, while the other stayed over open ocean until it reached the edge of the Antarctic pack ice.",
    "“We always assumed they took the shortest route, but they are riding the winds,” said Dr Hanna Lindqvist, an ecologist at the University of Uppsala who led the work.",
    "The team now wants to find out whether younger birds learn the route from older ones or find it on their own, which could matter as the climate shifts wind patterns.",
    "The findings were published on Wednesday.",
];

const CHIP_TITLE: &str = "Chipmaker raises its forecast as demand for data-centre hardware surges";
const CHIP: [&str; 6] = [
    "The company said on Thursday that it now expects revenue of $14.2 billion for the year, up from the $12.8 billion it forecast in February.",
    "Orders for its server processors doubled in the second quarter, driven by cloud providers building out capacity for artificial intelligence.",
    "Analysts had expected a more modest increase, and the forecast surprised investors who had worried that spending on data centres was slowing.",
    "The chief executive told analysts on a call that supply would remain tight well into next year, as the company waits for a new factory in Arizona to come online.",
    "“We are selling everything we can make, and we expect that to continue,” she said.",
    "Its next earnings report is due in October.",
];

// ----- chrome by category -------------------------------------------------------------------

#[test]
fn news_page_chrome_goes_and_prose_stays() {
    check_page(&[
        Chrome("Skip to content", "nav.skip.v1"),
        Chrome(
            "We use cookies to improve your experience on our site. By using it, you accept our cookie policy.",
            "cookie.banner.top.v1",
        ),
        Chrome("Accept all cookies", "cookie.button.v1"),
        Chrome("Home » News » Politics", "nav.breadcrumb.v1"),
        Prose(BUS_TITLE),
        Chrome("Share on Facebook", "share.network.v1"),
        Chrome("Share on X", "share.network.v1"),
        Chrome("Email", "share.button.top.v1"),
        Chrome("Print", "share.button.top.v1"),
        Prose(BUS[0]),
        Prose(BUS[1]),
        Chrome("Advertisement", "ad.marker.v1"),
        Prose(BUS[2]),
        Chrome("Story continues below advertisement", "ad.marker.v1"),
        Prose(BUS[3]),
        Chrome(
            "Read more: Council delays vote on parking charges",
            "promo.see-also.v1",
        ),
        Prose(BUS[4]),
        Prose(BUS[5]),
        Chrome("Tags: Transport, Buses, City Council", "taxonomy.tags.v1"),
        Chrome("Share this:", "share.widget.v1"),
        Chrome(
            "Click to share on Twitter (Opens in new window)",
            "share.jetpack.v1",
        ),
        Chrome(
            "Click to share on Facebook (Opens in new window)",
            "share.jetpack.v1",
        ),
        Chrome("Tweet", "share.button.bottom.v1"),
        Chrome("Pin it", "share.button.bottom.v1"),
        Chrome("Like this:", "social.like-this.v1"),
        Chrome("Like Loading...", "social.like.v1"),
        Chrome("Related Posts", "related.header.v1"),
        Chrome("Follow us on Twitter", "social.follow.v1"),
        Chrome(
            "© 2024 Example Media. All rights reserved.",
            "copyright.symbol.v1",
        ),
    ]);
}

#[test]
fn wordpress_page_chrome_goes_and_prose_stays() {
    check_page(&[
        Chrome("Skip to main content", "nav.skip.v1"),
        Chrome("Menu", "nav.menu.top.v1"),
        Chrome("Search for:", "nav.skip.v1"),
        Chrome("Home > World", "nav.breadcrumb.v1"),
        Prose(TERN_TITLE),
        Chrome("Posted on March 3, 2024 by admin", "meta.posted-on.v1"),
        Chrome("5 min read", "meta.reading-time.v1"),
        Prose(TERN[0]),
        Prose(TERN[1]),
        Chrome(
            "Click here to download the full report",
            "promo.click-here.v1",
        ),
        Prose(TERN[2]),
        Prose(TERN[3]),
        Chrome("You may also like", "related.header.v1"),
        Prose(TERN[4]),
        Prose(TERN[5]),
        Chrome(
            "Posted in Science, Wildlife | Tagged birds, migration",
            "taxonomy.posted-in.v1",
        ),
        Chrome(
            "This entry was posted in Science and tagged birds, migration. Bookmark the permalink.",
            "taxonomy.entry.v1",
        ),
        Chrome("Previous article / Next article", "nav.post-link.v1"),
        Chrome("Previous article", "nav.post.v1"),
        Chrome("Next article", "nav.post.v1"),
        Chrome("Subscribe to our newsletter", "newsletter.prompt.v1"),
        Chrome("Enter your email address", "newsletter.prompt.v1"),
        Chrome("Subscribe", "newsletter.form.bottom.v1"),
        Chrome(
            "12 thoughts on “Researchers map the migration routes of Arctic terns”",
            "comments.thoughts-on.v1",
        ),
        Chrome("0 Comments", "comments.count.v1"),
        Chrome(
            "Your email address will not be published. Required fields are marked *",
            "chrome.comment-form.v1",
        ),
        Chrome("Name *", "comments.field.v1"),
        Chrome("Email *", "comments.field.v1"),
        Chrome("Website", "comments.field.v1"),
        Chrome(
            "Save my name, email, and website in this browser for the next time I comment.",
            "chrome.comment-form.v1",
        ),
        Chrome("Post Comment", "comments.chrome.v1"),
        Chrome("Notify me of new posts by email.", "comments.chrome.v1"),
        Chrome(
            "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
            "comments.chrome.v1",
        ),
        Chrome("Copyright © 2024 Example Media", "copyright.symbol.v1"),
        Chrome("Privacy Policy", "footer.links.v1"),
        Chrome("Back to top", "chrome.back-to-top.v1"),
    ]);
}

#[test]
fn promo_newsletter_and_footer_chrome_goes_and_prose_stays() {
    check_page(&[
        Chrome(
            "This website uses cookies to ensure you get the best experience on our website.",
            "cookie.banner.top.v1",
        ),
        Chrome("Got it!", "cookie.choice.top.v1"),
        Chrome("Sign in", "nav.menu.top.v1"),
        Chrome("Newsletters", "newsletter.form.top.v1"),
        Prose(CHIP_TITLE),
        Chrome("News › Technology › Semiconductors", "nav.breadcrumb-arrow.v1"),
        Chrome("Listen to this article", "media.player.v1"),
        Chrome("1.2K Shares", "share.count.v1"),
        Prose(CHIP[0]),
        Chrome("ADVERTISEMENT", "ad.marker.v1"),
        Prose(CHIP[1]),
        Chrome("- Advertisement -", "ad.marker-dashed.v1"),
        Prose(CHIP[2]),
        Chrome(
            "Sign up for our Morning Briefing newsletter",
            "newsletter.signup.v1",
        ),
        Chrome(
            "Get the latest headlines delivered to your inbox every morning.",
            "newsletter.inbox.v1",
        ),
        Prose(CHIP[3]),
        Chrome(
            "RELATED: Why the chip shortage is not over yet",
            "promo.watch.v1",
        ),
        Chrome("Recommended for you", "related.header.v1"),
        Chrome("More from Markets", "related.more-from.v2"),
        Prose(CHIP[4]),
        Prose(CHIP[5]),
        Chrome(
            "Copyright 2024 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
            "copyright.year.v1",
        ),
        Chrome(
            "Next post: Chip stocks rally on the forecast",
            "nav.post-link.v1",
        ),
        Chrome("Page 2 of 3", "nav.pagination.v1"),
        Chrome("Facebook Twitter LinkedIn Email", "share.button-row.v1"),
        Chrome("Follow @examplenews", "social.follow-handle.v1"),
        Chrome("Join 4,210 other subscribers", "newsletter.subscribers.v1"),
        Chrome(
            "By signing up, you agree to our Terms of Use and Privacy Policy.",
            "newsletter.consent.v1",
        ),
        Chrome(
            "Example Media Ltd. All rights reserved.",
            "copyright.rights-reserved.v1",
        ),
        Chrome(
            "By continuing to use this site, you agree to our use of cookies.",
            "cookie.consent.v1",
        ),
        Chrome("Accept", "cookie.choice.bottom.v1"),
    ]);
}

#[test]
fn comment_counts_and_widgets_in_their_usual_places() {
    check_page(&[
        Prose(BUS_TITLE),
        Chrome("12 comments", "comments.count.v1"),
        Chrome("Share this article", "share.widget.v1"),
        Prose(BUS[0]),
        Prose(BUS[1]),
        Chrome("Sponsored content", "ad.marker.v1"),
        Prose(BUS[2]),
        Chrome("Watch video", "media.player.v1"),
        Prose(BUS[3]),
        Prose(BUS[4]),
        Prose(BUS[5]),
        Chrome("Filed under: Politics, Transport", "taxonomy.posted-in.v1"),
        Chrome("Comments (3)", "comments.count.v1"),
        Chrome("Reply", "comments.chrome.v1"),
        Chrome("Comments are closed.", "comments.chrome.v1"),
        Chrome("Related Articles", "related.header.v1"),
        Chrome("More stories", "related.header.v1"),
        Chrome(
            "Follow us on Facebook, Instagram and YouTube",
            "social.follow.v1",
        ),
        Chrome("Terms of Use", "footer.links.v1"),
    ]);
}

/// A page ends in a WordPress comment form: the 'Leave a Reply' footer takes the form with it.
#[test]
fn comment_form_footer_takes_the_form_with_it() {
    let text = format!(
        "{BUS_TITLE}\n\n{}\n\n{}\n\n{}\n\nLeave a Reply Cancel reply\n\nName *\n\nEmail *\n\nWebsite\n\nPost Comment\n\nΔ\n",
        BUS[0], BUS[1], BUS[2]
    );
    let cleaned = clean(&text);
    assert_eq!(
        cleaned.doc.text,
        format!("{BUS_TITLE}\n\n{}\n\n{}\n\n{}\n", BUS[0], BUS[1], BUS[2])
    );
    let rule_of = |line: &str| {
        let record = cleaned.records.iter().find(|r| r.before.trim() == line);
        record.map(|r| &*r.rule).unwrap_or("(kept)")
    };
    assert_eq!(rule_of("Leave a Reply Cancel reply"), "footer.comments.v1");
    // The form's own lines go by the footer or by their own comment-form rules.
    for line in ["Name *", "Email *", "Website", "Post Comment", "Δ"] {
        let rule = rule_of(line);
        assert!(
            rule == "footer.comments.v1" || rule.starts_with("comments."),
            "{line:?} removed by {rule}"
        );
    }
}

// ----- precision ----------------------------------------------------------------------------

/// Prose and short lines that mention the words chrome is made of. None is chrome.
const NOT_CHROME: &[&str] = &[
    // comments
    "Readers left more than 300 comments on the original post, most of them critical.",
    "In comments to reporters, the minister declined to give a timeline.",
    "Comments made at the meeting were taken out of context, he said.",
    "12 comments were submitted during the public consultation.",
    "No comment was immediately available from the company.",
    "“No comment,” she said, and closed the door.",
    "Share your comments below, said the mayor.",
    "Comments are closed on Sundays, the library's website says.",
    "Reply to the ministry's letter was delayed by a week.",
    // share
    "Share prices fell 4 percent in early trading after the announcement.",
    "The company will share more details at its investor day next month.",
    "Share of voters backing the plan",
    "Tweets from the account were deleted on Monday.",
    "Like this year's budget, next year's will be tight.",
    "Like father, like son",
    // cookies
    "Cookies and cream remains the best-selling flavour at the shop.",
    "This website uses cookies to track users without consent, the complaint alleges.",
    "We use cookies, the company's privacy chief told lawmakers, but only with consent.",
    "By using the app, you agree to share your location, researchers found.",
    "Accept all the terms or walk away, the union was told.",
    "Privacy policy experts say the change is overdue.",
    "Terms of use for the app were updated in March.",
    // newsletter and subscriptions
    "She signed up for the newsletter in 2019 and never unsubscribed.",
    "Subscribers to the paper's morning newsletter rose by a third last year.",
    "Subscribe to the newsletter and you will get nothing but spam, critics warn.",
    "Sign-up for the course closes on Friday.",
    "Enter your email address only on sites you trust, experts advise.",
    "Newsletter editors say open rates have never been higher.",
    "Subscribe or perish: the new economics of local news",
    "Readers who subscribe before Friday get a discount.",
    // copyright
    "The copyright lawsuit was filed in federal court in Manhattan.",
    "Copyright holders say the new rules do not go far enough.",
    "Copyright 2024 was a record year for infringement claims, the office said.",
    "All rights reserved, the label insisted, when asked about the reissue.",
    "The record label kept all rights reserved under the old contract.",
    "Copyright reform stalls again",
    "© symbols were missing from the packaging, the court heard.",
    // advertisement and sponsorship
    "Advertisement revenue at the group fell for a third straight quarter.",
    "The advertisement, which ran during the Super Bowl, drew complaints.",
    "Advertising executives were not available for comment.",
    "Sponsored by the city, the festival drew 40,000 people.",
    "Supported by volunteers, the shelter has stayed open all winter.",
    // related, recommended, more, next
    "Related charges were dropped last week, prosecutors said.",
    "Related: the two cases involved the same judge.",
    "Related by marriage, the two families have feuded for decades.",
    "You may also like the museum's smaller galleries upstairs.",
    "Recommended for you, the doctor said, is at least eight hours of sleep.",
    "More from the interview will air on Sunday.",
    "More in Common, a think tank, published the survey.",
    "More than 200 people attended the service.",
    "Next, the committee will vote on the amendment.",
    "Next post-game interviews will be held in the media tent.",
    "Previous article in this series examined the cost of housing.",
    "Previous attempts to pass the bill failed in 2019 and 2021.",
    "Up next for the team is a trip to Leeds on Saturday.",
    "Up next: the committee votes on the amendment",
    "What are you looking for?",
    "Trending: more people are cycling to work",
    "In case you missed it, the show returns next week.",
    "Trending downward for months, the index finally rose in May.",
    "Read more about the study in the journal Nature.",
    // follow
    "Follow the money, the senator told the committee.",
    "Follow us on this journey as we travel the length of the Danube.",
    "Follow Jane on her first day at the new school.",
    "Join us on Saturday for the opening of the new library.",
    "Fans can follow the race on the team's website.",
    "Follow-up tests are scheduled for March.",
    // home and navigation words
    "He went home early after the second half.",
    "Home sales dropped 5 percent in June.",
    "Home/work balance is harder than ever, the survey found.",
    "Home is where the heart is, she wrote.",
    "Home at last",
    "The home secretary will make a statement on Monday.",
    "Skip to the end and the result is the same.",
    "Search teams found the hikers on Sunday morning.",
    "Menu prices have risen 8 percent this year.",
    "Top officials met in Geneva on Thursday.",
    // tags, posted, filed
    "Tags on the shipment were forged, investigators said.",
    "Tagged as a security risk, the app was removed from stores.",
    "Topics ranged from housing to health care.",
    "Posted in 2019, the video has since been viewed 2 million times.",
    "Posted in Berlin for three years, she speaks fluent German.",
    "Posted by a fan on Reddit, the clip drew millions of views.",
    "Filed under the Freedom of Information Act, the request took eight months.",
    "Published in Nature, the study followed 2,000 patients.",
    // print, email, photo, watch, source, click
    "Print editions will cease in December, the publisher said.",
    "Print is not dead, says the publisher",
    "Email is still the most common way scammers reach their victims.",
    "Emails seen by the paper show the plan was approved in May.",
    "Email scams on the rise",
    "A photo of the scene was shared widely on social media.",
    "Photo identification will be required at polling stations.",
    "Watch parties were held across the city.",
    "Watch this space.",
    "Source: Office for National Statistics",
    "Source code for the tool was published on GitHub.",
    "Sources say the deal could close by Friday.",
    "Click here, he said, and the whole system collapses.",
    "Click-through rates on the ads were lower than expected.",
    "Loading the trucks took most of the night.",
    "Reading time for the average novel is about seven hours.",
    "Updated figures are due next week.",
    // section titles of documentation (found by the controls audit, bench/controls)
    "More on Defining Functions",
    "More about Lists",
    "More on Conditions",
];

/// Places a line at the top of an article (before its title), in the middle (between two
/// paragraphs) and at the bottom (after the last paragraph).
fn placements(line: &str) -> [(&'static str, String); 3] {
    let body = |from: usize, to: usize| TERN[from..to].join("\n\n");
    [
        ("top", format!("{line}\n\n{TERN_TITLE}\n\n{}\n", body(0, 6))),
        (
            "middle",
            format!(
                "{TERN_TITLE}\n\n{}\n\n{line}\n\n{}\n",
                body(0, 3),
                body(3, 6)
            ),
        ),
        (
            "bottom",
            format!("{TERN_TITLE}\n\n{}\n\n{line}\n", body(0, 6)),
        ),
    ]
}

#[test]
fn prose_mentioning_chrome_words_is_never_removed() {
    assert!(NOT_CHROME.len() >= 60, "{} lines", NOT_CHROME.len());
    let mut removed = Vec::new();
    for line in NOT_CHROME {
        for (place, text) in placements(line) {
            let cleaned = clean(&text);
            if cleaned.doc.text != text {
                let rules: Vec<&str> = cleaned.records.iter().map(|r| &*r.rule).collect();
                removed.push(format!("{place}: {line:?} (edits by {rules:?})"));
            }
            assert!(
                cleaned
                    .records
                    .iter()
                    .all(|r| r.stage != StageName::Boilerplate),
                "{place}: {line:?}: {:#?}",
                cleaned.records
            );
        }
    }
    assert!(removed.is_empty(), "prose changed:\n{}", removed.join("\n"));
}

/// Button labels that are chrome at the edges of a page are list items in the middle of one:
/// the position-limited rules leave them alone there.
#[test]
fn edge_only_labels_stay_in_the_middle_of_a_long_article() {
    let labels = [
        "Email",
        "Print",
        "Facebook",
        "Share",
        "Accept",
        "Subscribe",
        "Sign up",
        "Home",
        "Menu",
        "Tags",
        "Previous",
        "Next",
        "Name",
        "Website",
        "Like this:",
        "Got it!",
        "Newsletter",
    ];
    let mut paragraphs: Vec<&str> = Vec::new();
    for _ in 0..8 {
        paragraphs.extend(BUS.iter().chain(TERN.iter()).chain(CHIP.iter()));
    }
    assert!(paragraphs.len() > 100);
    for label in labels {
        let (head, tail) = paragraphs.split_at(paragraphs.len() / 2);
        let text = format!(
            "{CHIP_TITLE}\n\n{}\n\nWhat you will need:\n{label}\n\n{}\n",
            head.join("\n\n"),
            tail.join("\n\n")
        );
        let cleaned = clean(&text);
        assert_eq!(cleaned.doc.text, text, "{label:?}: {:#?}", cleaned.records);
    }
}

/// The same labels do go at the edges of the page.
#[test]
fn edge_only_labels_go_at_the_edges() {
    let text = format!(
        "Menu\nSearch\n\n{CHIP_TITLE}\n\nShare\nEmail\nPrint\n\n{}\n\nTags\nShare\nEmail\nPrevious\nNext\nHome\n",
        CHIP.join("\n\n")
    );
    let cleaned = clean(&text);
    assert_eq!(
        lines(&cleaned.doc.text),
        std::iter::once(CHIP_TITLE)
            .chain(CHIP.iter().copied())
            .collect::<Vec<_>>()
    );
}
