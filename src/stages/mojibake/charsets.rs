//! The single-byte charsets that UTF-8 is commonly misread as, and the tables the mojibake
//! repair needs: for each charset, which byte a character came from.
//!
//! Tables come from `encoding_rs` (the WHATWG indexes, which already map the bytes Microsoft
//! leaves undefined to the C1 control with the same number, as browsers do), except code page
//! 437, which the WHATWG does not define and is written out here.

use std::sync::OnceLock;

/// The charsets, in the order ties are broken (most common mistake first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CharsetId {
    /// Windows-1252; with Latin-1 C1 controls when the Latin-1 rule is on.
    Cp1252,
    /// Windows-1250 (Central European).
    Cp1250,
    /// ISO-8859-2 (Central European, C1 controls in 0x80–0x9F).
    Iso8859_2,
    /// Windows-1251 (Cyrillic).
    Cp1251,
    /// Windows-1257 (Baltic).
    Cp1257,
    /// Mac OS Roman.
    MacRoman,
    /// IBM code page 437 (DOS).
    Cp437,
}

/// Number of charsets (bits in a [`Mask`]).
pub(crate) const COUNT: usize = 7;

/// A set of charsets, one bit per [`CharsetId`].
pub(crate) type Mask = u8;

impl CharsetId {
    pub(crate) const ALL: [CharsetId; COUNT] = [
        CharsetId::Cp1252,
        CharsetId::Cp1250,
        CharsetId::Iso8859_2,
        CharsetId::Cp1251,
        CharsetId::Cp1257,
        CharsetId::MacRoman,
        CharsetId::Cp437,
    ];

    pub(crate) fn bit(self) -> Mask {
        1 << (self as u8)
    }

    /// Human name, as used in reasons.
    pub(crate) fn label(self) -> &'static str {
        match self {
            CharsetId::Cp1252 => "Windows-1252",
            CharsetId::Cp1250 => "Windows-1250",
            CharsetId::Iso8859_2 => "ISO-8859-2",
            CharsetId::Cp1251 => "Windows-1251",
            CharsetId::Cp1257 => "Windows-1257",
            CharsetId::MacRoman => "Mac OS Roman",
            CharsetId::Cp437 => "code page 437",
        }
    }

    /// Extra evidence a repair through this charset needs, in tenths of a badness point:
    /// the rarer the mistake in the wild, the more a repair must gain to be believed.
    pub(crate) fn prior(self) -> i32 {
        match self {
            CharsetId::Cp1252 => 0,
            CharsetId::Cp1250 | CharsetId::Iso8859_2 | CharsetId::Cp1251 => 5,
            CharsetId::Cp1257 => 10,
            CharsetId::MacRoman => 8,
            CharsetId::Cp437 => 10,
        }
    }
}

const CP437_HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐\
└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{A0}";

/// One charset's tables.
pub(crate) struct Charset {
    pub(crate) id: CharsetId,
    /// What each byte 0x80..=0xFF decodes to (None: undefined).
    high: [Option<char>; 128],
    /// Non-ASCII characters and the byte they come from, sorted by character.
    encode: Vec<(char, u8)>,
    /// The same for U+0080..U+07FF as a direct table (0: none).
    low: Vec<u8>,
    /// The same for [`PUNCT`] as a direct table (0: none): "€", "™", curly quotes and dashes
    /// are in most mojibake.
    punct: Vec<u8>,
}

/// U+2000..U+25FF (punctuation, symbols, box drawing), looked up directly, not searched.
const PUNCT: std::ops::Range<usize> = 0x2000..0x2600;

impl Charset {
    fn build(id: CharsetId) -> Charset {
        let mut high = [None; 128];
        match id {
            CharsetId::Cp437 => {
                for (slot, c) in high.iter_mut().zip(CP437_HIGH.chars()) {
                    *slot = Some(c);
                }
            }
            _ => {
                let enc = match id {
                    CharsetId::Cp1252 => encoding_rs::WINDOWS_1252,
                    CharsetId::Cp1250 => encoding_rs::WINDOWS_1250,
                    CharsetId::Iso8859_2 => encoding_rs::ISO_8859_2,
                    CharsetId::Cp1251 => encoding_rs::WINDOWS_1251,
                    CharsetId::Cp1257 => encoding_rs::WINDOWS_1257,
                    CharsetId::MacRoman => encoding_rs::MACINTOSH,
                    CharsetId::Cp437 => unreachable!(),
                };
                for (i, slot) in high.iter_mut().enumerate() {
                    let byte = [0x80 + i as u8];
                    if let Some(text) =
                        enc.decode_without_bom_handling_and_without_replacement(&byte)
                    {
                        *slot = text.chars().next();
                    }
                }
            }
        }
        let mut encode: Vec<(char, u8)> = high
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.map(|c| (c, 0x80 + i as u8)))
            .collect();
        encode.sort_unstable();
        let mut low = vec![0u8; 0x800 - 0x80];
        for &(c, b) in &encode {
            if (c as usize) < 0x800 {
                low[c as usize - 0x80] = b;
            }
        }
        let mut punct = vec![0u8; PUNCT.len()];
        for &(c, b) in &encode {
            if PUNCT.contains(&(c as usize)) {
                punct[c as usize - PUNCT.start] = b;
            }
        }
        Charset {
            id,
            high,
            encode,
            low,
            punct,
        }
    }

    /// The byte `c` comes from in this charset (ASCII is itself), if any.
    #[inline]
    pub(crate) fn byte(&self, c: char) -> Option<u8> {
        let code = c as usize;
        if code < 0x80 {
            return Some(code as u8);
        }
        if code < 0x800 {
            let b = self.low[code - 0x80];
            return (b != 0).then_some(b);
        }
        if PUNCT.contains(&code) {
            let b = self.punct[code - PUNCT.start];
            return (b != 0).then_some(b);
        }
        self.encode
            .binary_search_by_key(&c, |&(k, _)| k)
            .ok()
            .map(|i| self.encode[i].1)
    }

    /// What byte `b` (0x80..=0xFF) decodes to.
    pub(crate) fn char_of(&self, b: u8) -> Option<char> {
        if b < 0x80 {
            return Some(b as char);
        }
        self.high[usize::from(b - 0x80)]
    }
}

/// Whether `b` is a UTF-8 continuation byte.
#[inline]
pub(crate) fn is_cont(b: u8) -> bool {
    (0x80..=0xBF).contains(&b)
}

/// How many continuation bytes a UTF-8 lead byte needs (0: not a multi-byte lead).
#[inline]
pub(crate) fn lead_len(b: u8) -> usize {
    match b {
        0xC2..=0xDF => 1,
        0xE0..=0xEF => 2,
        0xF0..=0xF4 => 3,
        _ => 0,
    }
}

/// In which charsets a character is a UTF-8 lead byte, a two-byte lead, a continuation byte.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Masks {
    /// Any lead byte (0xC2..=0xF4).
    pub(crate) lead: Mask,
    /// A two-byte lead (0xC2..=0xDF).
    pub(crate) lead2: Mask,
    /// A continuation byte (0x80..=0xBF).
    pub(crate) cont: Mask,
}

impl Masks {
    /// Whether the character is mojibake material in any of `enabled`.
    #[inline]
    pub(crate) fn any(self) -> bool {
        (self.lead | self.cont) != 0
    }

    /// These masks restricted to `enabled` charsets.
    #[inline]
    pub(crate) fn within(self, enabled: Mask) -> Masks {
        Masks {
            lead: self.lead & enabled,
            lead2: self.lead2 & enabled,
            cont: self.cont & enabled,
        }
    }
}

/// All charsets plus, per character, in which charsets it is a UTF-8 lead byte and in which
/// a continuation byte. Built once.
pub(crate) struct Tables {
    pub(crate) charsets: Vec<Charset>,
    /// For U+0080..U+07FF: its masks.
    two_byte: Vec<Masks>,
    /// For characters from U+0800 on that some charset encodes: (char, masks).
    wide: Vec<(char, Masks)>,
    /// For [`PUNCT`]: the masks, as a direct table.
    punct: Vec<Masks>,
}

impl Tables {
    pub(crate) fn get() -> &'static Tables {
        static TABLES: OnceLock<Tables> = OnceLock::new();
        TABLES.get_or_init(Tables::build)
    }

    fn build() -> Tables {
        let charsets: Vec<Charset> = CharsetId::ALL.into_iter().map(Charset::build).collect();
        let mut two_byte = vec![Masks::default(); 0x800 - 0x80];
        let mut wide: Vec<(char, Masks)> = Vec::new();
        for cs in &charsets {
            for &(c, b) in &cs.encode {
                let bit = cs.id.bit();
                let add = Masks {
                    lead: if lead_len(b) > 0 { bit } else { 0 },
                    lead2: if lead_len(b) == 1 { bit } else { 0 },
                    cont: if is_cont(b) { bit } else { 0 },
                };
                let code = c as usize;
                let slot = if code < 0x800 {
                    &mut two_byte[code - 0x80]
                } else if let Some(i) = wide.iter().position(|e| e.0 == c) {
                    &mut wide[i].1
                } else {
                    wide.push((c, Masks::default()));
                    &mut wide.last_mut().expect("just pushed").1
                };
                slot.lead |= add.lead;
                slot.lead2 |= add.lead2;
                slot.cont |= add.cont;
            }
        }
        // C1 controls come back as their own byte (Latin-1, or a sloppy decoder): always
        // continuation bytes.
        for slot in &mut two_byte[..0x20] {
            slot.cont |= CharsetId::Cp1252.bit();
        }
        wide.sort_unstable_by_key(|e| e.0);
        let mut punct = vec![Masks::default(); PUNCT.len()];
        for &(c, m) in &wide {
            if PUNCT.contains(&(c as usize)) {
                punct[c as usize - PUNCT.start] = m;
            }
        }
        Tables {
            charsets,
            two_byte,
            wide,
            punct,
        }
    }

    pub(crate) fn charset(&self, id: CharsetId) -> &Charset {
        &self.charsets[id as usize]
    }

    /// The masks of a character (empty for ASCII and for what no charset encodes).
    #[inline(always)]
    pub(crate) fn masks(&self, c: char) -> Masks {
        let code = c as u32;
        if code < 0x80 {
            Masks::default()
        } else if code < 0x800 {
            self.two_byte[(code - 0x80) as usize]
        } else if PUNCT.contains(&(code as usize)) {
            self.punct[code as usize - PUNCT.start]
        } else if (0xF8FF..=0xFB02).contains(&code) {
            match self.wide.binary_search_by_key(&c, |e| e.0) {
                Ok(i) => self.wide[i].1,
                Err(_) => Masks::default(),
            }
        } else {
            Masks::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_round_trip_every_byte() {
        let tables = Tables::get();
        for cs in &tables.charsets {
            for b in 0x80..=0xFFu8 {
                if let Some(c) = cs.char_of(b) {
                    assert_eq!(cs.byte(c), Some(b), "{:?} {b:02X}", cs.id);
                }
            }
        }
        assert_eq!(tables.charset(CharsetId::Cp437).byte('─'), Some(0xC4));
        assert_eq!(tables.charset(CharsetId::Cp1252).byte('€'), Some(0x80));
        assert_eq!(tables.charset(CharsetId::Cp1251).byte('Р'), Some(0xD0));
    }

    #[test]
    fn wide_characters_are_all_in_the_searched_ranges() {
        let tables = Tables::get();
        for &(c, masks) in &tables.wide {
            assert_eq!(tables.masks(c), masks, "{c:?} U+{:04X}", c as u32);
        }
    }
}
