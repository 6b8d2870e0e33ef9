//! HTML character references left in scraped text: `&amp;`, `&#8217;`, `&#x2019;`, `&nbsp;`,
//! `&eacute;`.
//!
//! Decoded only where the text is clearly not markup or code: a document with anything that
//! looks like an HTML tag or comment is left alone entirely (its references are markup's
//! business), and so is any line that looks like code (ends in `{`, `}` or `;`, or holds
//! operators such as `==`, `=>`, `&&`, `||`) or sits inside a fenced code block. Only
//! references with their closing semicolon are decoded, and only to characters that can stand
//! in text (no NUL, surrogates or control characters other than tab and line feed). Numeric
//! references 128–159 mean the Windows-1252 character, as in browsers. A double-escaped
//! reference (`&amp;eacute;`, `&amp;amp;`) is decoded all the way, so cleaning twice changes
//! nothing.

use super::mojibake::RuleRef;
use super::Step;
use crate::corpus::CorpusStats;
use crate::document::Document;
use crate::edit::{Edit, StageName};
use crate::rules::RuleSet;

const RULE: &str = "entities.html.v1";

/// HTML character reference decoding.
pub struct Entities {
    rule: RuleRef,
}

impl Entities {
    /// The step, if its rule is switched on.
    pub fn new(rules: &RuleSet) -> Option<Entities> {
        RuleRef::get(rules, RULE).map(|rule| Entities { rule })
    }
}

impl Step for Entities {
    fn stage(&self) -> StageName {
        StageName::Encoding
    }

    fn name(&self) -> &'static str {
        "entities"
    }

    fn edits(&self, doc: &Document, _: &CorpusStats) -> Vec<Edit> {
        let text = doc.text.as_str();
        let bytes = text.as_bytes();
        if memchr::memchr(b'&', bytes).is_none() || looks_like_markup(text) {
            return Vec::new();
        }
        let mut edits = Vec::new();
        let mut start = 0;
        let mut fenced = false;
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim();
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                fenced = !fenced;
            } else if !fenced && line.contains('&') && !looks_like_code(trimmed) {
                let mut at = 0;
                while let Some(found) = memchr::memchr(b'&', &line.as_bytes()[at..]) {
                    let amp = at + found;
                    match reference(&line[amp..]) {
                        Some((len, c)) => {
                            let mut buf = [0u8; 4];
                            edits.push(
                                self.rule
                                    .edit(start + amp..start + amp + len, c.encode_utf8(&mut buf)),
                            );
                            at = amp + len;
                        }
                        None => at = amp + 1,
                    }
                }
            }
            start += line.len();
        }
        edits
    }
}

/// A document with something that looks like an HTML tag or comment is markup.
fn looks_like_markup(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'<', bytes).any(|at| {
        let rest = &bytes[at + 1..];
        let name_start = usize::from(rest.first() == Some(&b'/'));
        if rest.starts_with(b"!--")
            || rest.starts_with(b"!DOCTYPE")
            || rest.starts_with(b"!doctype")
        {
            return true;
        }
        let name_len = rest[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !rest[name_start].is_ascii_alphabetic() {
            return false;
        }
        // The tag must close on the same line: `<p>`, `<br/>`, `<a href="…">`, `</div>`.
        let tail = &rest[name_start + name_len..];
        match tail.first() {
            Some(b'>') => true,
            Some(b'/') => tail.get(1) == Some(&b'>'),
            Some(b' ') if name_start == 0 => {
                let line_end = memchr::memchr(b'\n', tail).unwrap_or(tail.len());
                let inside = &tail[..line_end];
                match memchr::memchr(b'>', inside) {
                    Some(close) => memchr::memchr(b'=', &inside[..close]).is_some(),
                    None => false,
                }
            }
            _ => false,
        }
    })
}

/// A line that looks like source code.
fn looks_like_code(line: &str) -> bool {
    if line.ends_with('{') || line.ends_with('}') {
        return true;
    }
    if line.ends_with(';') && reference_ending_at(line).is_none() {
        return true;
    }
    ["==", "!=", "=>", "&&", "||", "){", "();", "::"]
        .iter()
        .any(|op| line.contains(op))
}

/// Whether `line` ends with a complete character reference (so its `;` is not code's).
fn reference_ending_at(line: &str) -> Option<()> {
    let amp = line.rfind('&')?;
    let (len, _) = reference(&line[amp..])?;
    (amp + len == line.len()).then_some(())
}

/// The character reference at the start of `s` (which starts with `&`): its length and the
/// character. A double-escaped one (`&amp;eacute;`) is taken whole.
fn reference(s: &str) -> Option<(usize, char)> {
    let (mut len, mut c) = single(s)?;
    // "&amp;" followed by what would make a reference with that "&": decode it too.
    while c == '&' {
        let rest = &s[len..];
        if rest.is_empty() {
            break;
        }
        let mut probe = String::with_capacity(rest.len().min(40) + 1);
        probe.push('&');
        probe.push_str(&rest[..floor_boundary(rest, 40)]);
        match single(&probe) {
            Some((more, inner)) => {
                len += more - 1;
                c = inner;
            }
            None => break,
        }
    }
    Some((len, c))
}

fn floor_boundary(s: &str, max: usize) -> usize {
    let mut at = s.len().min(max);
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One reference, not following `&amp;` chains.
fn single(s: &str) -> Option<(usize, char)> {
    let bytes = s.as_bytes();
    debug_assert_eq!(bytes.first(), Some(&b'&'));
    if bytes.get(1) == Some(&b'#') {
        let (hex, digits_from) = match bytes.get(2) {
            Some(b'x' | b'X') => (true, 3),
            _ => (false, 2),
        };
        let digits = bytes[digits_from..]
            .iter()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 || digits > 7 || bytes.get(digits_from + digits) != Some(&b';') {
            return None;
        }
        let number = &s[digits_from..digits_from + digits];
        let code = u32::from_str_radix(number, if hex { 16 } else { 10 }).ok()?;
        let c = numeric(code)?;
        return Some((digits_from + digits + 1, c));
    }
    let name_len = bytes[1..]
        .iter()
        .take(10)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if name_len == 0 || bytes.get(1 + name_len) != Some(&b';') {
        return None;
    }
    let name = &s[1..1 + name_len];
    let at = NAMED.binary_search_by_key(&name, |&(n, _)| n).ok()?;
    Some((name_len + 2, NAMED[at].1))
}

/// The character a numeric reference stands for, as browsers read it.
fn numeric(code: u32) -> Option<char> {
    match code {
        0x09 | 0x0A => char::from_u32(code),
        0x80..=0x9F => {
            let byte = [code as u8];
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&byte);
            text.chars()
                .next()
                .filter(|c| !('\u{80}'..='\u{9F}').contains(c))
        }
        0..=0x1F | 0x7F => None,
        _ => char::from_u32(code).filter(|c| *c != '\u{FFFE}' && *c != '\u{FFFF}'),
    }
}

/// HTML 4 named character references (plus `&apos;`), sorted by name.
const NAMED: &[(&str, char)] = &[
    ("AElig", '\u{C6}'),
    ("Aacute", '\u{C1}'),
    ("Acirc", '\u{C2}'),
    ("Agrave", '\u{C0}'),
    ("Alpha", '\u{391}'),
    ("Aring", '\u{C5}'),
    ("Atilde", '\u{C3}'),
    ("Auml", '\u{C4}'),
    ("Beta", '\u{392}'),
    ("Ccedil", '\u{C7}'),
    ("Chi", '\u{3A7}'),
    ("Dagger", '\u{2021}'),
    ("Delta", '\u{394}'),
    ("ETH", '\u{D0}'),
    ("Eacute", '\u{C9}'),
    ("Ecirc", '\u{CA}'),
    ("Egrave", '\u{C8}'),
    ("Epsilon", '\u{395}'),
    ("Eta", '\u{397}'),
    ("Euml", '\u{CB}'),
    ("Gamma", '\u{393}'),
    ("Iacute", '\u{CD}'),
    ("Icirc", '\u{CE}'),
    ("Igrave", '\u{CC}'),
    ("Iota", '\u{399}'),
    ("Iuml", '\u{CF}'),
    ("Kappa", '\u{39A}'),
    ("Lambda", '\u{39B}'),
    ("Mu", '\u{39C}'),
    ("Ntilde", '\u{D1}'),
    ("Nu", '\u{39D}'),
    ("OElig", '\u{152}'),
    ("Oacute", '\u{D3}'),
    ("Ocirc", '\u{D4}'),
    ("Ograve", '\u{D2}'),
    ("Omega", '\u{3A9}'),
    ("Omicron", '\u{39F}'),
    ("Oslash", '\u{D8}'),
    ("Otilde", '\u{D5}'),
    ("Ouml", '\u{D6}'),
    ("Phi", '\u{3A6}'),
    ("Pi", '\u{3A0}'),
    ("Prime", '\u{2033}'),
    ("Psi", '\u{3A8}'),
    ("Rho", '\u{3A1}'),
    ("Scaron", '\u{160}'),
    ("Sigma", '\u{3A3}'),
    ("THORN", '\u{DE}'),
    ("Tau", '\u{3A4}'),
    ("Theta", '\u{398}'),
    ("Uacute", '\u{DA}'),
    ("Ucirc", '\u{DB}'),
    ("Ugrave", '\u{D9}'),
    ("Upsilon", '\u{3A5}'),
    ("Uuml", '\u{DC}'),
    ("Xi", '\u{39E}'),
    ("Yacute", '\u{DD}'),
    ("Yuml", '\u{178}'),
    ("Zeta", '\u{396}'),
    ("aacute", '\u{E1}'),
    ("acirc", '\u{E2}'),
    ("acute", '\u{B4}'),
    ("aelig", '\u{E6}'),
    ("agrave", '\u{E0}'),
    ("alefsym", '\u{2135}'),
    ("alpha", '\u{3B1}'),
    ("amp", '\u{26}'),
    ("and", '\u{2227}'),
    ("ang", '\u{2220}'),
    ("apos", '\u{27}'),
    ("aring", '\u{E5}'),
    ("asymp", '\u{2248}'),
    ("atilde", '\u{E3}'),
    ("auml", '\u{E4}'),
    ("bdquo", '\u{201E}'),
    ("beta", '\u{3B2}'),
    ("brvbar", '\u{A6}'),
    ("bull", '\u{2022}'),
    ("cap", '\u{2229}'),
    ("ccedil", '\u{E7}'),
    ("cedil", '\u{B8}'),
    ("cent", '\u{A2}'),
    ("chi", '\u{3C7}'),
    ("circ", '\u{2C6}'),
    ("clubs", '\u{2663}'),
    ("cong", '\u{2245}'),
    ("copy", '\u{A9}'),
    ("crarr", '\u{21B5}'),
    ("cup", '\u{222A}'),
    ("curren", '\u{A4}'),
    ("dArr", '\u{21D3}'),
    ("dagger", '\u{2020}'),
    ("darr", '\u{2193}'),
    ("deg", '\u{B0}'),
    ("delta", '\u{3B4}'),
    ("diams", '\u{2666}'),
    ("divide", '\u{F7}'),
    ("eacute", '\u{E9}'),
    ("ecirc", '\u{EA}'),
    ("egrave", '\u{E8}'),
    ("empty", '\u{2205}'),
    ("emsp", '\u{2003}'),
    ("ensp", '\u{2002}'),
    ("epsilon", '\u{3B5}'),
    ("equiv", '\u{2261}'),
    ("eta", '\u{3B7}'),
    ("eth", '\u{F0}'),
    ("euml", '\u{EB}'),
    ("euro", '\u{20AC}'),
    ("exist", '\u{2203}'),
    ("fnof", '\u{192}'),
    ("forall", '\u{2200}'),
    ("frac12", '\u{BD}'),
    ("frac14", '\u{BC}'),
    ("frac34", '\u{BE}'),
    ("frasl", '\u{2044}'),
    ("gamma", '\u{3B3}'),
    ("ge", '\u{2265}'),
    ("gt", '\u{3E}'),
    ("hArr", '\u{21D4}'),
    ("harr", '\u{2194}'),
    ("hearts", '\u{2665}'),
    ("hellip", '\u{2026}'),
    ("iacute", '\u{ED}'),
    ("icirc", '\u{EE}'),
    ("iexcl", '\u{A1}'),
    ("igrave", '\u{EC}'),
    ("image", '\u{2111}'),
    ("infin", '\u{221E}'),
    ("int", '\u{222B}'),
    ("iota", '\u{3B9}'),
    ("iquest", '\u{BF}'),
    ("isin", '\u{2208}'),
    ("iuml", '\u{EF}'),
    ("kappa", '\u{3BA}'),
    ("lArr", '\u{21D0}'),
    ("lambda", '\u{3BB}'),
    ("lang", '\u{2329}'),
    ("laquo", '\u{AB}'),
    ("larr", '\u{2190}'),
    ("lceil", '\u{2308}'),
    ("ldquo", '\u{201C}'),
    ("le", '\u{2264}'),
    ("lfloor", '\u{230A}'),
    ("lowast", '\u{2217}'),
    ("loz", '\u{25CA}'),
    ("lrm", '\u{200E}'),
    ("lsaquo", '\u{2039}'),
    ("lsquo", '\u{2018}'),
    ("lt", '\u{3C}'),
    ("macr", '\u{AF}'),
    ("mdash", '\u{2014}'),
    ("micro", '\u{B5}'),
    ("middot", '\u{B7}'),
    ("minus", '\u{2212}'),
    ("mu", '\u{3BC}'),
    ("nabla", '\u{2207}'),
    ("nbsp", '\u{A0}'),
    ("ndash", '\u{2013}'),
    ("ne", '\u{2260}'),
    ("ni", '\u{220B}'),
    ("not", '\u{AC}'),
    ("notin", '\u{2209}'),
    ("nsub", '\u{2284}'),
    ("ntilde", '\u{F1}'),
    ("nu", '\u{3BD}'),
    ("oacute", '\u{F3}'),
    ("ocirc", '\u{F4}'),
    ("oelig", '\u{153}'),
    ("ograve", '\u{F2}'),
    ("oline", '\u{203E}'),
    ("omega", '\u{3C9}'),
    ("omicron", '\u{3BF}'),
    ("oplus", '\u{2295}'),
    ("or", '\u{2228}'),
    ("ordf", '\u{AA}'),
    ("ordm", '\u{BA}'),
    ("oslash", '\u{F8}'),
    ("otilde", '\u{F5}'),
    ("otimes", '\u{2297}'),
    ("ouml", '\u{F6}'),
    ("para", '\u{B6}'),
    ("part", '\u{2202}'),
    ("permil", '\u{2030}'),
    ("perp", '\u{22A5}'),
    ("phi", '\u{3C6}'),
    ("pi", '\u{3C0}'),
    ("piv", '\u{3D6}'),
    ("plusmn", '\u{B1}'),
    ("pound", '\u{A3}'),
    ("prime", '\u{2032}'),
    ("prod", '\u{220F}'),
    ("prop", '\u{221D}'),
    ("psi", '\u{3C8}'),
    ("quot", '\u{22}'),
    ("rArr", '\u{21D2}'),
    ("radic", '\u{221A}'),
    ("rang", '\u{232A}'),
    ("raquo", '\u{BB}'),
    ("rarr", '\u{2192}'),
    ("rceil", '\u{2309}'),
    ("rdquo", '\u{201D}'),
    ("real", '\u{211C}'),
    ("reg", '\u{AE}'),
    ("rfloor", '\u{230B}'),
    ("rho", '\u{3C1}'),
    ("rlm", '\u{200F}'),
    ("rsaquo", '\u{203A}'),
    ("rsquo", '\u{2019}'),
    ("sbquo", '\u{201A}'),
    ("scaron", '\u{161}'),
    ("sdot", '\u{22C5}'),
    ("sect", '\u{A7}'),
    ("shy", '\u{AD}'),
    ("sigma", '\u{3C3}'),
    ("sigmaf", '\u{3C2}'),
    ("sim", '\u{223C}'),
    ("spades", '\u{2660}'),
    ("sub", '\u{2282}'),
    ("sube", '\u{2286}'),
    ("sum", '\u{2211}'),
    ("sup", '\u{2283}'),
    ("sup1", '\u{B9}'),
    ("sup2", '\u{B2}'),
    ("sup3", '\u{B3}'),
    ("supe", '\u{2287}'),
    ("szlig", '\u{DF}'),
    ("tau", '\u{3C4}'),
    ("there4", '\u{2234}'),
    ("theta", '\u{3B8}'),
    ("thetasym", '\u{3D1}'),
    ("thinsp", '\u{2009}'),
    ("thorn", '\u{FE}'),
    ("tilde", '\u{2DC}'),
    ("times", '\u{D7}'),
    ("trade", '\u{2122}'),
    ("uArr", '\u{21D1}'),
    ("uacute", '\u{FA}'),
    ("uarr", '\u{2191}'),
    ("ucirc", '\u{FB}'),
    ("ugrave", '\u{F9}'),
    ("uml", '\u{A8}'),
    ("upsih", '\u{3D2}'),
    ("upsilon", '\u{3C5}'),
    ("uuml", '\u{FC}'),
    ("weierp", '\u{2118}'),
    ("xi", '\u{3BE}'),
    ("yacute", '\u{FD}'),
    ("yen", '\u{A5}'),
    ("yuml", '\u{FF}'),
    ("zeta", '\u{3B6}'),
    ("zwj", '\u{200D}'),
    ("zwnj", '\u{200C}'),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn decode(text: &str) -> String {
        let rules = RuleSet::defaults().unwrap();
        let step = Entities::new(&rules).unwrap();
        let doc = Document::from_text("t", text);
        let mut records = Vec::new();
        apply(
            text,
            step.edits(&doc, &CorpusStats::default()),
            &mut records,
        )
        .unwrap_or_else(|| text.to_owned())
    }

    #[test]
    fn table_is_sorted_for_binary_search() {
        assert!(NAMED.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn named_numeric_and_hex_references_are_decoded() {
        assert_eq!(
            decode("Tom &amp; Jerry&#8217;s caf&eacute;&nbsp;&#x2014; &quot;ok&quot; &lt;3"),
            "Tom & Jerry’s café\u{A0}— \"ok\" <3"
        );
        assert_eq!(decode("It&#146;s"), "It’s");
    }

    #[test]
    fn double_escaped_references_are_decoded_whole() {
        assert_eq!(decode("AT&amp;amp;T and caf&amp;eacute;"), "AT&T and café");
    }

    #[test]
    fn unknown_unterminated_and_control_references_stay() {
        for text in [
            "&copy 2024",
            "&bogus; &#0; &#xD800; &#1;",
            "R&D, Q&A",
            "&#99999999;",
        ] {
            assert_eq!(decode(text), text);
        }
    }

    #[test]
    fn markup_and_code_are_left_alone() {
        let html = "<p>Tom &amp; Jerry</p>\n";
        assert_eq!(decode(html), html);
        let comment = "<!-- x --> &amp;\n";
        assert_eq!(decode(comment), comment);
        let code = "if (a &amp;&amp; b) {\nx = &quot;y&quot;;\nTom &amp; Jerry\n";
        assert_eq!(
            decode(code),
            "if (a &amp;&amp; b) {\nx = &quot;y&quot;;\nTom & Jerry\n"
        );
        let fenced = "```\n&lt;b&gt;\n```\n&lt;b&gt;\n";
        assert_eq!(decode(fenced), "```\n&lt;b&gt;\n```\n<b>\n");
    }

    #[test]
    fn prose_with_angle_brackets_is_not_markup() {
        assert_eq!(decode("3 < 5 &amp; 5 > 3"), "3 < 5 & 5 > 3");
        assert_eq!(decode("a line ending in &amp;"), "a line ending in &");
    }
}
