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
        if encoding == encoding_rs::UTF_8 && std::str::from_utf8(&bytes).is_ok() {
            let text = String::from_utf8(bytes).expect("checked just above");
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
    match String::from_utf8(bytes) {
        Ok(text) => utf8(text, false),
        Err(err) => {
            let bytes = err.into_bytes();
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

    #[test]
    fn utf8_bom_is_kept_for_normalize_to_report() {
        let d = decode(b"\xEF\xBB\xBFhi".to_vec());
        assert_eq!(d.text, "\u{FEFF}hi");
        assert!(d.decoding.bom);
    }
}
