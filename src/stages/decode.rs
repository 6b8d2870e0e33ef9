//! Decode: raw bytes to text.
//!
//! Valid UTF-8 is always kept as UTF-8: detectors mistake short UTF-8 with a single "—" for
//! windows-1252, so they are consulted only when the bytes are not UTF-8. A byte-order mark
//! decides first; its U+FEFF is kept in the text so the normalize stage removes it as a
//! visible, reported edit rather than silently here.

use encoding_rs::Encoding;

use crate::document::Decoding;

/// The result of decoding: the text and how it was obtained.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    /// The decoded text (a leading BOM survives as U+FEFF).
    pub text: String,
    /// How the bytes were decoded.
    pub decoding: Decoding,
}

/// Decodes raw bytes, choosing the encoding by BOM, UTF-8 validity, then detection.
pub fn decode(bytes: Vec<u8>) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(&bytes) {
        if encoding == encoding_rs::UTF_8 && simdutf8::basic::from_utf8(&bytes).is_ok() {
            let text = into_utf8(bytes).expect("checked just above");
            return utf8(text, true);
        }
        let (body, malformed) = decode_with(encoding, &bytes[bom_len..]);
        let mut text = String::with_capacity(body.len() + 3);
        text.push('\u{FEFF}');
        text.push_str(&body);
        return Decoded {
            text,
            decoding: Decoding {
                encoding: encoding.name(),
                bom: true,
                detected: false,
                confidence: 1.0,
                malformed,
            },
        };
    }
    match into_utf8(bytes) {
        Ok(text) => utf8(text, false),
        Err(bytes) => {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(&bytes, true);
            // Not valid UTF-8, so the guess must be a legacy encoding.
            let (encoding, likely) = detector.guess_assess(None, false);
            let (text, malformed) = decode_with(encoding, &bytes);
            Decoded {
                text,
                decoding: Decoding {
                    encoding: encoding.name(),
                    bom: false,
                    detected: true,
                    confidence: if likely { 0.9 } else { 0.5 },
                    malformed,
                },
            }
        }
    }
}

/// `bytes` as a string if they are valid UTF-8, else the bytes back.
///
/// Validation is most of what decoding clean input costs; simdutf8 checks 16–32 bytes at a
/// time where the standard library's check slows down on non-ASCII text.
fn into_utf8(bytes: Vec<u8>) -> Result<String, Vec<u8>> {
    if simdutf8::basic::from_utf8(&bytes).is_err() {
        return Err(bytes);
    }
    // SAFETY: simdutf8 has just validated the bytes as UTF-8.
    Ok(unsafe { String::from_utf8_unchecked(bytes) })
}

/// Decodes an HTML page: a byte-order mark decides first, then a `<meta charset>` or
/// `<meta http-equiv="Content-Type" content="…; charset=…">` declaration in the first 1024
/// bytes, then the same logic as [`decode`].
///
/// Declarations are often wrong on scraped pages, so two checks come before trusting one:
/// bytes that are valid UTF-8 and not plain ASCII stay UTF-8 whatever the page declares
/// (legacy text is practically never valid UTF-8 by accident), and a declared encoding
/// that turns bytes into U+FFFD is set aside for the detector's guess when the guess decodes
/// with fewer errors. A declared encoding that is used is recorded as not detected, with
/// confidence 1 (0.5 when some sequences were malformed in it).
pub fn decode_html(bytes: Vec<u8>) -> Decoded {
    if Encoding::for_bom(&bytes).is_some() {
        return decode(bytes);
    }
    let Some(declared) = meta_charset(&bytes[..bytes.len().min(1024)]) else {
        return decode(bytes);
    };
    // As browsers do: a page that could read its own <meta> as ASCII is not UTF-16, and
    // x-user-defined is windows-1252 for text purposes.
    let declared = if declared == encoding_rs::UTF_16LE || declared == encoding_rs::UTF_16BE {
        encoding_rs::UTF_8
    } else if declared == encoding_rs::X_USER_DEFINED {
        encoding_rs::WINDOWS_1252
    } else {
        declared
    };
    if declared == encoding_rs::UTF_8
        || (!bytes.is_ascii() && simdutf8::basic::from_utf8(&bytes).is_ok())
    {
        // Declared UTF-8 (valid, or else detected), or valid UTF-8 declared as something else.
        return decode(bytes);
    }
    let (text, malformed) = decode_with(declared, &bytes);
    if malformed > 0 {
        let guess = decode(bytes);
        if guess.decoding.malformed < malformed {
            return guess;
        }
    }
    Decoded {
        text,
        decoding: Decoding {
            encoding: declared.name(),
            bom: false,
            detected: false,
            confidence: if malformed == 0 { 1.0 } else { 0.5 },
            malformed,
        },
    }
}

/// The encoding a `<meta>` element in `head` declares, if any (comments skipped).
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &head[at..]) {
        let tag = at + found;
        let rest = &head[tag..];
        if rest.starts_with(b"<!--") {
            let end = rest[4..]
                .windows(3)
                .position(|w| w == b"-->")
                .map_or(head.len(), |p| tag + 4 + p + 3);
            at = end;
            continue;
        }
        at = tag + 1;
        let is_meta = rest.len() > 5
            && rest[1..5].eq_ignore_ascii_case(b"meta")
            && matches!(rest[5], b' ' | b'\t' | b'\n' | b'\r' | b'\x0C' | b'/');
        if !is_meta {
            continue;
        }
        let attributes = parse_attributes(&rest[5..]);
        let get = |name: &str| {
            attributes
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        if let Some(label) = get("charset") {
            if let Some(encoding) = Encoding::for_label(label.trim().as_bytes()) {
                return Some(encoding);
            }
        }
        let is_content_type =
            get("http-equiv").is_some_and(|v| v.trim().eq_ignore_ascii_case("content-type"));
        if let (true, Some(content)) = (is_content_type, get("content")) {
            if let Some(encoding) = charset_in_content(content) {
                return Some(encoding);
            }
        }
    }
    None
}

/// Attributes of a tag, from just after its name to its `>`: (lower-case name, value).
fn parse_attributes(tag: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    let space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C' | b'/');
    while i < tag.len() {
        while i < tag.len() && space(tag[i]) {
            i += 1;
        }
        if i >= tag.len() || tag[i] == b'>' {
            break;
        }
        let name_start = i;
        while i < tag.len() && !space(tag[i]) && !matches!(tag[i], b'=' | b'>') {
            i += 1;
        }
        let name = String::from_utf8_lossy(&tag[name_start..i]).to_ascii_lowercase();
        while i < tag.len() && matches!(tag[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        let mut value = String::new();
        if tag.get(i) == Some(&b'=') {
            i += 1;
            while i < tag.len() && matches!(tag[i], b' ' | b'\t' | b'\n' | b'\r') {
                i += 1;
            }
            match tag.get(i) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let start = i + 1;
                    let end = tag[start..]
                        .iter()
                        .position(|&b| b == quote)
                        .map_or(tag.len(), |p| start + p);
                    value = String::from_utf8_lossy(&tag[start..end]).into_owned();
                    i = end + 1;
                }
                _ => {
                    let start = i;
                    while i < tag.len() && !space(tag[i]) && tag[i] != b'>' {
                        i += 1;
                    }
                    value = String::from_utf8_lossy(&tag[start..i]).into_owned();
                }
            }
        }
        if !name.is_empty() {
            out.push((name, value));
        }
    }
    out
}

/// The encoding named by `charset=` in a Content-Type value such as
/// `text/html; charset="iso-8859-2"`.
fn charset_in_content(content: &str) -> Option<&'static Encoding> {
    let lower = content.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = content[at + "charset".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let label: String = match rest.chars().next()? {
        quote @ ('"' | '\'') => rest[1..].chars().take_while(|&c| c != quote).collect(),
        _ => rest
            .chars()
            .take_while(|&c| !c.is_ascii_whitespace() && c != ';')
            .collect(),
    };
    Encoding::for_label(label.as_bytes())
}

fn utf8(text: String, bom: bool) -> Decoded {
    Decoded {
        text,
        decoding: Decoding {
            bom,
            ..Decoding::utf8()
        },
    }
}

/// Decodes without BOM handling and counts the malformed sequences that became U+FFFD.
fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> (String, usize) {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    let text = text.into_owned();
    let malformed = if had_errors {
        // U+FFFD that was in the input as proper characters is counted too; close enough
        // for a report, and exact for legacy single-byte input.
        text.matches('\u{FFFD}').count()
    } else {
        0
    };
    (text, malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_utf8_stays_utf8_even_when_it_looks_like_windows_1252() {
        let d = decode("a — b".as_bytes().to_vec());
        assert_eq!(d.text, "a — b");
        assert_eq!(d.decoding.encoding, "UTF-8");
        assert!(!d.decoding.detected);
    }

    #[test]
    fn legacy_bytes_are_detected_and_decoded() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("Café crème, naïve façade — déjà vu.");
        let d = decode(bytes.into_owned());
        assert_eq!(d.text, "Café crème, naïve façade — déjà vu.");
        assert!(d.decoding.detected);
        assert_eq!(d.decoding.malformed, 0);
    }

    #[test]
    fn utf16_bom_decides_and_is_kept_as_a_character() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "héllo".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let d = decode(bytes);
        assert_eq!(d.text, "\u{FEFF}héllo");
        assert_eq!(d.decoding.encoding, "UTF-16LE");
        assert!(d.decoding.bom);
    }

    fn page(head: &str, body: &str, encoding: &'static Encoding) -> Vec<u8> {
        let html = format!("<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>");
        encoding.encode(&html).0.into_owned()
    }

    #[test]
    fn html_meta_charset_decides() {
        let body = "Zażółć gęślą jaźń, ąęśćżź";
        let bytes = page(
            "<meta charset=\"iso-8859-2\">",
            body,
            encoding_rs::ISO_8859_2,
        );
        let d = decode_html(bytes);
        assert!(d.text.contains(body), "{}", d.text);
        assert_eq!(d.decoding.encoding, "ISO-8859-2");
        assert!(!d.decoding.detected);
        assert_eq!(d.decoding.confidence, 1.0);
    }

    #[test]
    fn html_http_equiv_content_type_decides() {
        let body = "Съешь же ещё этих мягких французских булок";
        for head in [
            "<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=koi8-r\">",
            "<meta content='text/html;charset=\"KOI8-R\"' http-equiv='content-type' />",
        ] {
            let d = decode_html(page(head, body, encoding_rs::KOI8_R));
            assert!(d.text.contains(body), "{head}: {}", d.text);
            assert_eq!(d.decoding.encoding, "KOI8-R");
        }
    }

    #[test]
    fn html_bom_beats_meta_and_valid_utf8_beats_a_wrong_meta() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend(page(
            "<meta charset=\"windows-1252\">",
            "café",
            encoding_rs::UTF_8,
        ));
        let d = decode_html(bytes);
        assert!(d.text.starts_with('\u{FEFF}') && d.text.contains("café"));
        assert_eq!(d.decoding.encoding, "UTF-8");
        let d = decode_html(page(
            "<meta charset=\"iso-8859-1\">",
            "naïve — café",
            encoding_rs::UTF_8,
        ));
        assert!(d.text.contains("naïve — café"));
        assert_eq!(d.decoding.encoding, "UTF-8");
    }

    #[test]
    fn html_meta_in_a_comment_unknown_or_late_is_ignored() {
        let body = "Café crème, naïve façade — déjà vu, à bientôt.";
        let commented = page(
            "<!-- <meta charset=\"koi8-r\"> -->",
            body,
            encoding_rs::WINDOWS_1252,
        );
        assert!(decode_html(commented).text.contains(body));
        let unknown = page(
            "<meta charset=\"no-such-thing\">",
            body,
            encoding_rs::WINDOWS_1252,
        );
        assert!(decode_html(unknown).text.contains(body));
        let late = format!("{}<meta charset=\"koi8-r\">", " ".repeat(1100));
        let mut bytes = late.into_bytes();
        bytes.extend(encoding_rs::WINDOWS_1252.encode(body).0.iter());
        let d = decode_html(bytes);
        assert!(d.text.contains(body));
        assert!(d.decoding.detected);
    }

    #[test]
    fn html_declared_encoding_that_does_not_fit_yields_to_detection() {
        // Declared Shift_JIS, actually EUC-JP: many malformed sequences in Shift_JIS.
        let body = "日本語のテキストです。東京都の天気は晴れ、気温は二十度でした。".repeat(3);
        let d = decode_html(page(
            "<meta charset=\"shift_jis\">",
            &body,
            encoding_rs::EUC_JP,
        ));
        assert!(d.text.contains(&body), "{}", d.text);
        assert_eq!(d.decoding.encoding, "EUC-JP");
    }

    #[test]
    fn utf8_bom_is_kept_for_normalize_to_report() {
        let d = decode(b"\xEF\xBB\xBFhi".to_vec());
        assert_eq!(d.text, "\u{FEFF}hi");
        assert!(d.decoding.bom);
    }
}
