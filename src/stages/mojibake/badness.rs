//! Badness: how unlikely a short stretch of text is as something a person wrote.
//!
//! Mojibake is made of character sequences people do not write: a capital "Ã" in the middle
//! of a lower-case word, "Ã" or "â" followed by a symbol ("Ã©", "â€™"), symbols inside
//! words, lone C1 control characters, box-drawing characters glued to letters, capitals after
//! lower-case letters, Cyrillic pairs like "Р°" or "СЃ". A wrong repair produces characters
//! people rarely write either: IPA letters, Armenian, Syriac or N'Ko letters inside a Latin
//! word, rare CJK extensions, private-use characters. So one measure judges both sides: a
//! repair is worth making only when the repaired text scores clearly lower than the original.
//!
//! The score is a sum, in tenths of a point, of
//! - a *rarity* for every character (0 for letters, digits, punctuation and symbols that
//!   ordinary text uses; more for characters that are mostly seen as debris),
//! - a cost for every *pair* of neighbours that text rarely puts side by side (letters of
//!   two scripts, a lower-case letter then an accented capital, a letter then a symbol…),
//! - a cost for a symbol or odd punctuation mark *inside a word* (between two letters).

/// What kind of character, for the pair costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Lower,
    Upper,
    /// A letter of a script without case (CJK, Hebrew, Arabic, Indic…).
    Letter,
    Digit,
    Space,
    Nbsp,
    AsciiPunct,
    /// Non-ASCII punctuation: quotes, dashes, ellipsis, bullets, guillemets.
    Punct,
    /// Non-ASCII symbols: currency, ©, °, ±, ™, math, arrows, modifier letters…
    Symbol,
    /// Box drawing and block elements.
    Box,
    /// Combining marks.
    Mark,
    /// C0 and C1 control characters.
    Control,
    Other,
}

/// Writing system of a letter (only letters have one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Script {
    None,
    Latin,
    Greek,
    Cyrillic,
    Armenian,
    Hebrew,
    Arabic,
    /// Syriac, Thaana, N'Ko, Samaritan, Mandaic: what two-byte UTF-8 leads 0xDC–0xDF decode to.
    RareRtl,
    Indic,
    Thai,
    /// Han, kana, Hangul, CJK punctuation and full-width forms.
    Cjk,
    Other,
}

/// A character's kind, script and rarity (tenths of a point).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Info {
    pub(crate) kind: Kind,
    pub(crate) script: Script,
    pub(crate) rarity: u8,
    /// Whether the character is ASCII.
    pub(crate) ascii: bool,
    /// Pictographs and dingbats: symbols, but at home next to words.
    pub(crate) emoji: bool,
}

impl Info {
    const NONE: Info = info(Kind::Other, Script::None, 0);
}

const fn info(kind: Kind, script: Script, rarity: u8) -> Info {
    Info {
        kind,
        script,
        rarity,
        ascii: false,
        emoji: false,
    }
}

fn cased(c: char, script: Script, rarity: u8) -> Info {
    let kind = if c.is_uppercase() {
        Kind::Upper
    } else if c.is_lowercase() {
        Kind::Lower
    } else if c.is_alphabetic() {
        Kind::Letter
    } else {
        Kind::Symbol
    };
    info(kind, script, rarity)
}

/// Classifies one character (a table for the first 2048 code points and for general
/// punctuation, where nearly all mojibake lives).
#[inline]
pub(crate) fn classify(c: char) -> Info {
    static TABLE: std::sync::OnceLock<Vec<Info>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..0x800u32)
            .chain(0x2000..0x2200)
            .map(|code| classify_slow(char::from_u32(code).unwrap_or('\u{FFFD}')))
            .collect()
    });
    let code = c as u32;
    match code {
        0..=0x7FF => table[code as usize],
        0x2000..=0x21FF => table[0x800 + (code - 0x2000) as usize],
        // What repaired East Asian mojibake is made of.
        0x3040..=0x30FF | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3 => info(Kind::Letter, Script::Cjk, 0),
        _ => classify_slow(c),
    }
}

fn classify_slow(c: char) -> Info {
    use Kind::*;
    use Script as S;
    let code = c as u32;
    if code < 0x80 {
        let kind = match c {
            'a'..='z' => Lower,
            'A'..='Z' => Upper,
            '0'..='9' => Digit,
            ' ' | '\t' | '\n' | '\r' => Space,
            '\u{0}'..='\u{1F}' | '\u{7F}' => Control,
            _ => AsciiPunct,
        };
        let script = if matches!(kind, Lower | Upper) {
            S::Latin
        } else {
            S::None
        };
        let rarity = if kind == Control { 20 } else { 0 };
        return Info {
            kind,
            script,
            rarity,
            ascii: true,
            emoji: false,
        };
    }
    match code {
        0x80..=0x9F => info(Control, S::None, 50),
        0xA0 => info(Nbsp, S::None, 0),
        0xAB | 0xBB => info(Punct, S::None, 0),
        0xA1 | 0xBF | 0xA7 => info(Punct, S::None, 3),
        0xB7 => info(Punct, S::None, 5),
        0xB6 => info(Punct, S::None, 10),
        0xA9 | 0xAE | 0xB0 | 0xA3 => info(Symbol, S::None, 0),
        0xA5 | 0xB2 | 0xB3 | 0xBC | 0xBD | 0xBE | 0xB1 | 0xB5 | 0xA2 | 0xD7 | 0xF7 => {
            info(Symbol, S::None, 5)
        }
        0xB9 => info(Symbol, S::None, 8),
        0xAA | 0xBA | 0xA8 | 0xAF | 0xB4 | 0xAC => info(Symbol, S::None, 10),
        0xA6 | 0xB8 => info(Symbol, S::None, 15),
        0xA4 => info(Symbol, S::None, 20),
        0xAD => info(Other, S::None, 15),
        // "Ã" and "Â" are rare in text (Portuguese and French capitals) and the commonest
        // first half of mojibake; "Ð", "Þ", "ð", "þ" are Icelandic.
        0xC3 | 0xC2 | 0xD0 | 0xDE => cased(c, S::Latin, 8),
        0xC6 | 0xD5 | 0xF0 | 0xFE => cased(c, S::Latin, 5),
        0xC5 | 0xD8 | 0xE6 | 0xE2 => cased(c, S::Latin, 2),
        0xC0..=0xFF => cased(c, S::Latin, 0),
        0x100..=0x17F => {
            let rarity = match code {
                // Maltese, Esperanto, Sami, archaic and compatibility letters.
                0x108..=0x10B
                | 0x11C..=0x121
                | 0x124..=0x127
                | 0x128..=0x129
                | 0x12C..=0x12D
                | 0x132..=0x135
                | 0x138
                | 0x13F..=0x140
                | 0x149..=0x14B
                | 0x14E..=0x14F
                | 0x15C..=0x15D
                | 0x166..=0x169
                | 0x16C..=0x16D
                | 0x174..=0x177
                | 0x17F => 25,
                // French and Welsh: real, but also Windows-1252's second halves of mojibake.
                0x152 | 0x153 | 0x178 => 8,
                // Slovak "Ĺ": rare, and Windows-1250's first half of Polish "ł", "ń", "ś"…
                0x139 => 12,
                _ => 3,
            };
            cased(c, S::Latin, rarity)
        }
        // The florin sign: a symbol far more often than a letter.
        0x192 => info(Symbol, S::None, 10),
        0x180..=0x24F => {
            let rarity = match code {
                0x1A0 | 0x1A1 | 0x1AF | 0x1B0 | 0x1CD..=0x1DC | 0x218..=0x21B => 3,
                _ => 25,
            };
            cased(c, S::Latin, rarity)
        }
        0x250..=0x2AF => info(Lower, S::Latin, 30),
        0x2BB | 0x2BC => info(Symbol, S::None, 10),
        0x2B0..=0x2FF => info(Symbol, S::None, 20),
        0x300..=0x36F => info(Mark, S::None, 5),
        0x386 | 0x388..=0x3CE => cased(c, S::Greek, 0),
        0x370..=0x3FF => cased(c, S::Greek, 25),
        0x402..=0x40F | 0x452..=0x45F
            if !matches!(code, 0x404 | 0x406 | 0x407 | 0x454 | 0x456 | 0x457) =>
        {
            // Serbian, Macedonian and Belarusian letters: real, but also what the second byte
            // of Russian UTF-8 read as Windows-1251 turns into.
            cased(c, S::Cyrillic, 10)
        }
        0x400..=0x45F => cased(c, S::Cyrillic, 0),
        0x490..=0x491 => cased(c, S::Cyrillic, 0),
        0x460..=0x4FF => cased(c, S::Cyrillic, 20),
        0x500..=0x52F => cased(c, S::Cyrillic, 30),
        0x530..=0x58F => cased(c, S::Armenian, 20),
        0x5D0..=0x5EA => info(Letter, S::Hebrew, 0),
        0x590..=0x5FF => info(Mark, S::Hebrew, 25),
        0x620..=0x64A | 0x660..=0x669 | 0x671..=0x6D3 => info(Letter, S::Arabic, 0),
        0x64B..=0x652 => info(Mark, S::Arabic, 5),
        0x600..=0x6FF => info(Letter, S::Arabic, 15),
        0x700..=0x8FF => info(Letter, S::RareRtl, 30),
        0x900..=0xDFF => info(Letter, S::Indic, 0),
        0xE00..=0xE7F => info(Letter, S::Thai, 0),
        0xE80..=0xFFF => info(Letter, S::Other, 20),
        0x1000..=0x109F => info(Letter, S::Other, 15),
        0x10A0..=0x10FF => info(Letter, S::Other, 10),
        0x1100..=0x11FF => info(Letter, S::Cjk, 20),
        0x1200..=0x1DFF => info(Letter, S::Other, 25),
        0x1E00..=0x1EFF => cased(c, S::Latin, 0),
        0x1F00..=0x1FFF => cased(c, S::Greek, 10),
        0x2000..=0x200A => info(Space, S::None, 5),
        0x200B..=0x200F => info(Other, S::None, 10),
        0x2010 | 0x2011 | 0x2013 | 0x2014 | 0x2018 | 0x2019 | 0x201C | 0x201D | 0x2026 => {
            info(Punct, S::None, 0)
        }
        0x201E | 0x2022 => info(Punct, S::None, 3),
        0x2020 => info(Punct, S::None, 8),
        0x201A | 0x2021 => info(Punct, S::None, 10),
        0x2012 | 0x2015..=0x2017 | 0x201B | 0x201F | 0x2023..=0x2025 | 0x2027 => {
            info(Punct, S::None, 10)
        }
        0x2028..=0x202F => info(Other, S::None, 10),
        0x2032 | 0x2033 | 0x203C | 0x2044 => info(Punct, S::None, 5),
        0x2030 | 0x2039 | 0x203A => info(Punct, S::None, 8),
        0x2030..=0x205E => info(Punct, S::None, 15),
        0x205F..=0x206F => info(Other, S::None, 20),
        0x2070..=0x209F => info(Symbol, S::None, 10),
        0x20AC | 0x20B9 | 0x20BD | 0x20A9 | 0x20AA | 0x20AB | 0x20B4 | 0x20BA | 0x20B1 => {
            info(Symbol, S::None, 0)
        }
        0x20A0..=0x20CF => info(Symbol, S::None, 15),
        0x20D0..=0x20FF => info(Mark, S::None, 25),
        0x2116 => info(Symbol, S::None, 0),
        0x2122 => info(Symbol, S::None, 5),
        0x2100..=0x214F => info(Symbol, S::None, 15),
        0x2150..=0x218F => info(Symbol, S::None, 10),
        0x2190..=0x21FF => info(Symbol, S::None, 5),
        0x2200..=0x22FF => info(Symbol, S::None, 5),
        0x2300..=0x23FF => info(Symbol, S::None, 15),
        0x2460..=0x24FF => info(Symbol, S::None, 5),
        0x2400..=0x245F => info(Symbol, S::None, 20),
        0x2500..=0x257F => info(Box, S::None, 3),
        0x2580..=0x259F => info(Box, S::None, 10),
        0x25A0..=0x25FF => info(Symbol, S::None, 5),
        0x2600..=0x27BF => Info {
            emoji: true,
            ..info(Symbol, S::None, 0)
        },
        0x27C0..=0x2BFF => info(Symbol, S::None, 10),
        0x2C00..=0x2DFF => info(Letter, S::Other, 30),
        0x2E00..=0x2E7F => info(Punct, S::None, 15),
        0x2E80..=0x2FFF => info(Letter, S::Cjk, 15),
        0x3000..=0x303F => info(Punct, S::Cjk, 0),
        0x3040..=0x30FF => info(Letter, S::Cjk, 0),
        0x3100..=0x31FF => info(Letter, S::Cjk, 10),
        0x3200..=0x33FF => info(Symbol, S::Cjk, 10),
        0x3400..=0x4DBF => info(Letter, S::Cjk, 20),
        0x4DC0..=0x4DFF => info(Symbol, S::None, 30),
        0x4E00..=0x9FFF => info(Letter, S::Cjk, 0),
        0xA000..=0xABFF => info(Letter, S::Other, 30),
        0xAC00..=0xD7A3 => info(Letter, S::Cjk, 0),
        0xD7A4..=0xD7FF => info(Letter, S::Cjk, 25),
        0xE000..=0xF8FF => info(Other, S::None, 40),
        0xF900..=0xFAFF => info(Letter, S::Cjk, 20),
        0xFB00..=0xFB06 => info(Lower, S::Latin, 10),
        0xFB07..=0xFDFF => info(Letter, S::Other, 25),
        0xFE00..=0xFE0F => info(Mark, S::None, 5),
        0xFE30..=0xFE4F => info(Punct, S::Cjk, 10),
        0xFE10..=0xFE6F => info(Punct, S::None, 15),
        0xFEFF => info(Other, S::None, 10),
        0xFE70..=0xFEFE => info(Letter, S::Arabic, 25),
        0xFF01..=0xFF60 => info(Letter, S::Cjk, 0),
        0xFF61..=0xFFEF => info(Letter, S::Cjk, 5),
        0xFFFD => info(Other, S::None, 10),
        0xFFF0..=0xFFFF => info(Control, S::None, 50),
        0x1D400..=0x1D7FF => info(Symbol, S::None, 15),
        0x1F000..=0x1FAFF => Info {
            emoji: true,
            ..info(Symbol, S::None, 0)
        },
        0x10000..=0x1FFFF => info(Letter, S::Other, 30),
        0x20000..=0x3FFFF => info(Letter, S::Cjk, 15),
        0xE0000..=0xE007F => info(Mark, S::None, 10),
        _ => info(Other, S::None, 40),
    }
}

fn is_letter_kind(k: Option<Kind>) -> bool {
    k.is_some_and(is_letter)
}

fn is_letter(k: Kind) -> bool {
    matches!(k, Kind::Lower | Kind::Upper | Kind::Letter)
}

/// Cost of two letters of different scripts side by side.
fn script_mix(a: Script, b: Script) -> i32 {
    use Script as S;
    if a == b || a == S::None || b == S::None {
        return 0;
    }
    match (a, b) {
        (S::Latin, S::Greek) | (S::Greek, S::Latin) => 10,
        (S::Cjk, _) | (_, S::Cjk) => 10,
        _ => 25,
    }
}

/// How telling it is for a letter to be followed by debris (a symbol, punctuation, a control):
/// the letters single-byte charsets give the lead bytes of the commonest UTF-8 sequences.
/// Windows-1252's "Â" and "Ã" (U+0080–U+00FF), "â" (punctuation U+2000–U+203F), "Ð" and
/// "Ñ" (Cyrillic), "ï" (U+F000–U+FFFF: "ï¿½" is U+FFFD), "Ì" (combining marks); Windows-1251's
/// "Р" and "С" (Cyrillic). "Ä" and "Å" (Latin Extended-A: "Ä…" is "ą") are real capitals in
/// German and Nordic text, so they tell less. Closing punctuation after a word is no debris.
fn lead_weight(a: char, b: char, after_capital: bool) -> i32 {
    let cyrillic = matches!(a, 'Р' | 'С');
    // Closing quotes end words, and capitals end abbreviations («СССР», "JOÃO»" aside, the
    // Cyrillic "Р»" is the mojibake of "л").
    let closing = matches!(b, '\u{BB}' | '\u{201D}') && (after_capital || !cyrillic);
    if closing || (b == '\u{2019}' && !cyrillic) {
        return 0;
    }
    match a {
        '\u{C2}' | '\u{C3}' | '\u{E2}' | '\u{D0}' | '\u{D1}' | '\u{EF}' | '\u{CC}' | 'Р' | 'С'
        | 'Ĺ' => 20,
        '\u{C4}' | '\u{C5}' | 'Ă' if b != '\u{A0}' => 12,
        _ => 0,
    }
}

/// A mathematical operator before a variable: "√x", "∂t", "∆x", "√π".
fn math_variable(op: char, next: char) -> bool {
    ('\u{2200}'..='\u{22FF}').contains(&op)
        && (next.is_ascii_lowercase() || ('α'..='ω').contains(&next))
}

/// A letter of the Russian alphabet.
fn russian(c: char) -> bool {
    matches!(c, 'А'..='я' | 'Ё' | 'ё')
}

/// Letters that Windows-1252 gives continuation bytes: after an accented lower-case letter
/// ("âœ", "Ã¼" aside) they are the second half of mojibake.
fn cont_letter(c: char) -> bool {
    matches!(c, '\u{153}' | '\u{161}' | '\u{17E}' | '\u{192}' | '\u{178}')
}

/// Cost of `b` right after `a`.
fn pair(a: Info, ca: char, b: Info, cb: char, before_a: Option<Info>) -> i32 {
    use Kind::*;
    let lead = if junk(b) {
        lead_weight(ca, cb, before_a.is_some_and(|i| i.kind == Kind::Upper))
    } else {
        0
    };
    if lead > 0 {
        // "â€" starts the mojibake of every curly quote and dash.
        return if ca == '\u{E2}' && cb == '\u{20AC}' {
            30
        } else {
            lead
        };
    }
    if matches!(ca, 'Ä' | 'Å' | 'Ă' | 'Ĺ') && ('\u{100}'..='\u{17F}').contains(&cb) {
        // "ÄŤ", "Ĺş": the first halves of Central European mojibake before a Latin
        // Extended-A letter (German, Nordic or Romanian capitals next to Polish or Czech).
        return 10;
    }
    if matches!(ca, 'Р' | 'С') && b.script == Script::Cyrillic && !russian(cb) {
        // "РІ", "СЃ", "Рѕ": Windows-1251 gives the second bytes of Russian UTF-8 letters
        // that are not Russian letters.
        return 15;
    }
    if cb == '\u{FFFD}' && (0xC2..=0xF4).contains(&(ca as u32)) {
        // A lead byte's character, then the bytes that followed it lost: "Ä�".
        return 10;
    }
    if cont_letter(cb) && a.kind == Lower && !a.ascii && (ca as u32) < 0x100 {
        return 15;
    }
    match (a.kind, b.kind) {
        (Lower | Upper | Letter, Lower | Upper | Letter) => {
            if a.script == Script::Cjk || b.script == Script::Cjk {
                return if a.script == b.script { 0 } else { 10 };
            }
            let mix = script_mix(a.script, b.script);
            if mix > 0 {
                return mix;
            }
            match (a.kind, b.kind) {
                (Lower, Upper) if !b.ascii => 20,
                (Lower, Upper) => 3,
                (Upper, Lower) if !a.ascii && !b.ascii && a.script == Script::Latin => 5,
                _ => 0,
            }
        }
        (Lower | Upper | Letter, Symbol) => {
            if matches!(
                cb,
                '\u{2122}' | '\u{AE}' | '\u{A9}' | '\u{B0}' | '\u{BA}' | '\u{AA}'
            ) {
                // Trademark, registered, copyright, degree, ordinals after a word.
                3
            } else {
                10
            }
        }
        (Symbol, Lower | Letter) => {
            if b.script == Script::Cjk {
                5
            } else if math_variable(ca, cb) {
                0
            } else {
                10
            }
        }
        (Other, Letter) | (Letter, Other) if a.script == Script::Cjk || b.script == Script::Cjk => {
            10
        }
        (Symbol, Upper) => {
            if matches!(ca, '\u{A9}' | '\u{B0}') {
                0
            } else {
                5
            }
        }
        (Symbol, Symbol) => {
            if (ca as u32) >= 0x1F000 || (cb as u32) >= 0x1F000 {
                0
            } else {
                3
            }
        }
        // Guillemets the wrong way round: "R«ga", "x»y".
        (Lower | Upper | Letter, Punct) if cb == '\u{AB}' => 10,
        (Punct, Lower | Upper | Letter) if ca == '\u{BB}' => 10,
        // Box drawing glued to an accented letter ("─îe┼ítina"); next to ASCII letters it is
        // more likely line art.
        (Box, Lower | Upper | Letter) if !b.ascii => 25,
        (Lower | Upper | Letter, Box) if !a.ascii => 25,
        (Box, Lower | Upper | Letter) | (Lower | Upper | Letter, Box) => 5,
        (Mark, Mark) => 5,
        (Punct, Symbol) | (Symbol, Punct) => 3,
        _ => 0,
    }
}

/// Whether a character between two letters is debris: non-ASCII punctuation and symbols,
/// controls, no-break spaces, box drawing.
fn junk(i: Info) -> bool {
    !i.ascii
        && i.script != Script::Cjk
        && !i.emoji
        && matches!(
            i.kind,
            Kind::Punct | Kind::Symbol | Kind::Control | Kind::Nbsp | Kind::Box | Kind::Other
        )
}

/// Junk a word may hold once: an apostrophe, a hyphen or dash, a middle dot (Catalan "l·l").
fn word_joiner(c: char) -> bool {
    matches!(
        c,
        '\u{2019}' | '\u{2010}' | '\u{2011}' | '\u{2013}' | '\u{2014}' | '\u{B7}'
    )
}

/// Cost per character of debris inside a word (between two letters).
const INSIDE_WORD: i32 = 15;

/// Cost of a letter of another script than its line's (Latin, Cyrillic, Greek): a lone "Г"
/// or "В" in a French line, a lone "Î" or "Đ" in a Greek or Russian one.
const FOREIGN_LETTER: i32 = 10;

/// Badness of a window of text, in tenths of a point. `line` is the script most letters of
/// the window's line are in (Script::None when no script clearly dominates).
pub(crate) fn badness(chars: &[char], line: Script) -> i32 {
    const STACK: usize = 48;
    let mut stack = [Info::NONE; STACK];
    let mut heap = Vec::new();
    let infos: &mut [Info] = if chars.len() <= STACK {
        &mut stack[..chars.len()]
    } else {
        heap.resize(chars.len(), Info::NONE);
        &mut heap
    };
    for (slot, &c) in infos.iter_mut().zip(chars) {
        *slot = classify(c);
    }
    let infos: &[Info] = infos;
    let mut total = 0;
    // Debris since the last letter: (characters, whether it is one harmless joiner).
    let mut debris: Option<(i32, bool)> = None;
    for (k, (&c, &i)) in chars.iter().zip(infos).enumerate() {
        let at = |d: isize| k.checked_add_signed(d).and_then(|j| infos.get(j).copied());
        let prev = at(-1);
        let prev2 = at(-2);
        total += i32::from(i.rarity);
        // (Greek letters in Latin text are at home: science writes "IL2Rγc", "5 μm".)
        if line != Script::None
            && i.script != line
            && matches!(i.script, Script::Latin | Script::Cyrillic | Script::Greek)
            && !(line == Script::Latin && i.script == Script::Greek)
            && is_letter(i.kind)
        {
            total += FOREIGN_LETTER;
        }
        if let Some(p) = prev {
            total += pair(p, chars[k - 1], i, c, prev2);
            if let Some(pp) = prev2 {
                // A lower-case accented letter after two capitals: "ZURÃœ", "NICIODATà".
                if pp.kind == Kind::Upper && p.kind == Kind::Upper && i.kind == Kind::Lower {
                    if !i.ascii {
                        total += 15;
                    } else if !p.ascii {
                        // Two capitals, the second accented, then lower case: "ÄŒe", "ÄÆd".
                        total += if pp.ascii { 10 } else { 20 };
                    }
                }
            }
            if i.kind == Kind::Mark && !is_letter(p.kind) {
                total += 5;
            }
        } else if i.kind == Kind::Mark {
            total += 5;
        }
        if is_letter(i.kind) {
            if let Some((n, harmless)) = debris.take() {
                if !(harmless && n == 1) && i.script != Script::Cjk {
                    total += INSIDE_WORD * n;
                }
            }
            // CJK is written without spaces: no words to be inside of.
            debris = (i.script != Script::Cjk).then_some((0, true));
        } else if junk(i) {
            if let Some((n, harmless)) = debris.as_mut() {
                *n += 1;
                *harmless &= word_joiner(c);
            }
        } else if let Some((n, _)) = debris.take() {
            // Two or more pieces of debris glued to the end of a word: "Zam√≤".
            total += 10 * (n - 1).max(0);
        }
        let next = at(1);
        let kind = |n: Option<Info>| n.map(|i| i.kind);
        if c == '\u{C3}' || c == '\u{C2}' {
            // "Ã" and "Â" next to no capital, before a space or after a lower-case letter:
            // "voilÃ ", "Ã perturber" (not "JOÃO", "SÃO", "Ã’s").
            let upper = |n| kind(n) == Some(Kind::Upper);
            let spaced = matches!(kind(next), None | Some(Kind::Space | Kind::Nbsp));
            if !upper(prev) && !upper(next) && (spaced || kind(prev) == Some(Kind::Lower)) {
                total += 15;
            }
        }
        if i.script == Script::Cyrillic
            && kind(prev) == Some(Kind::Space)
            && kind(next) == Some(Kind::Space)
        {
            // A one-letter Cyrillic word between Latin words: "se trouve Г lвЂ™ouest".
            let latin = |n: Option<Info>| n.is_some_and(|i| i.script == Script::Latin);
            if latin(at(-2)) && latin(at(2)) {
                total += 25;
            }
        }
        if i.kind == Kind::Symbol
            && !matches!(c, '\u{B0}' | '\u{A9}' | '\u{AE}')
            && !is_letter_kind(kind(prev))
            && is_letter_kind(kind(next))
            && !math_variable(c, chars.get(k + 1).copied().unwrap_or(' '))
        {
            // A symbol glued to the start of a word: "≈Öena", "ƒìlƒì".
            total += 10;
        }
    }
    if let Some((n, _)) = debris {
        total += 10 * (n - 1).max(0);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bad(s: &str) -> i32 {
        badness(&s.chars().collect::<Vec<_>>(), Script::None)
    }

    #[test]
    fn mojibake_scores_worse_than_its_repair() {
        for (broken, fixed) in [
            ("cafÃ©", "café"),
            ("OpenAIâ€™s", "OpenAI’s"),
            ("Ð¿Ñ€Ð¸Ð²ÐµÑ‚", "привет"),
            ("РїСЂРёРІРµС‚", "привет"),
            ("ÄŒeÅ¡tina", "Čeština"),
            ("æ—¥æœ¬èªž", "日本語"),
        ] {
            assert!(
                bad(broken) > bad(fixed) + 15,
                "{broken}: {} vs {}",
                bad(broken),
                bad(fixed)
            );
        }
    }

    #[test]
    fn ordinary_text_scores_low() {
        for text in [
            "naïve café",
            "Ελλάδα",
            "mañana",
            "привет",
            "日本語、テスト。",
            "5 €, 10 °C",
        ] {
            assert_eq!(bad(text), 0, "{text}");
        }
        // "Ã" is rare outside Portuguese capitals, but fine there.
        assert!(bad("JOÃO") < 10);
    }
}
