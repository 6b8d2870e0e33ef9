//! The encoding stage's repairs: HTML character references, mojibake, C1 controls, and the
//! opt-in typography rules.
//!
//! Mojibake is UTF-8 that was decoded with the wrong single-byte charset (and often saved
//! again): "OpenAI’s" read as Windows-1252 is "OpenAIâ€™s". It is repaired run by run — a
//! run is a stretch of non-ASCII characters that some charset could have produced from
//! UTF-8 bytes — never all-or-nothing per document, so a line broken in one paragraph and
//! fine in the next, or a word broken next to a word that is fine, each get the right answer.
//!
//! For a run, every enabled charset is tried: each character goes back to the byte the
//! charset decodes to it, and the byte sequences that are valid UTF-8 are decoded as such (the
//! others keep their characters, so the repair round-trips exactly: the repaired text,
//! encoded as UTF-8 and decoded with the charset, is the original run). The best repair is
//! kept only if it scores clearly lower on the [`badness`] measure than the run as it stands,
//! by a margin that is larger for rarer charsets. Repairs are repeated on the result, for
//! text that was broken twice or three times. A repair that gains only a little is applied
//! when the same document has clearly broken text of the same kind, and otherwise only
//! reported as a suspect.

mod badness;
mod charsets;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use badness::{badness, Script};
use charsets::{is_cont, lead_len, Charset, CharsetId, Mask, Masks, Tables};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::Step;
use crate::corpus::CorpusStats;
use crate::document::Document;
use crate::edit::{changed_span, Edit, StageName, Verdict};
use crate::rules::RuleSet;

/// A built-in rule's id and reason, looked up once when the step is built.
#[derive(Clone, Debug)]
pub(crate) struct RuleRef {
    pub(crate) id: Arc<str>,
    pub(crate) reason: Arc<str>,
}

impl RuleRef {
    /// The rule if it is switched on.
    pub(crate) fn get(rules: &RuleSet, id: &str) -> Option<RuleRef> {
        rules.builtin(id).map(|r| RuleRef {
            id: Arc::clone(&r.id),
            reason: Arc::clone(&r.reason),
        })
    }

    /// An applied edit of the encoding stage.
    pub(crate) fn edit(&self, range: Range<usize>, replacement: &str) -> Edit {
        Edit::sure(
            range,
            replacement,
            StageName::Encoding,
            &self.id,
            &self.reason,
        )
    }
}

/// The encoding stage's steps for the rules that are switched on, in the order they run:
/// HTML character references, then mojibake (so "Ã&copy;" is repaired in one go), then the
/// opt-in typography rules.
pub fn steps(rules: &RuleSet) -> Vec<Box<dyn Step>> {
    let mut steps: Vec<Box<dyn Step>> = Vec::new();
    if let Some(step) = super::entities::Entities::new(rules) {
        steps.push(Box::new(step));
    }
    if let Some(step) = Mojibake::new(rules) {
        steps.push(Box::new(step));
    }
    steps.extend(super::typography::steps(rules));
    steps
}

/// Rule id of the repair through each charset, in [`CharsetId`] order.
const CHARSET_RULES: [&str; charsets::COUNT] = [
    "mojibake.utf8-as-cp1252.v1",
    "mojibake.utf8-as-cp1250.v1",
    "mojibake.utf8-as-iso8859-2.v1",
    "mojibake.utf8-as-cp1251.v1",
    "mojibake.utf8-as-cp1257.v1",
    "mojibake.utf8-as-macroman.v1",
    "mojibake.utf8-as-cp437.v1",
];
const LATIN1_RULE: &str = "mojibake.utf8-as-latin1.v1";
const C1_RULE: &str = "mojibake.c1-controls.v1";

/// A repair gaining at least this much (tenths of a badness point) is applied.
const STRONG: i32 = 20;
/// A repair gaining at least this much is applied when the document has a strong repair
/// through the same charset, and reported as a suspect otherwise.
const WEAK: i32 = 5;
/// Evidence a restored no-break space (a 0xA0 byte that had become a space) must add.
const LOST_SPACE_COST: i32 = 12;
/// Evidence a lossy sequence (bytes lost to "?" or U+FFFD, repaired as one U+FFFD) must add.
const LOSSY_COST: i32 = 8;
/// The same where U+FFFD already marks the loss.
const LOSSY_MARKED_COST: i32 = 4;
/// A repaired run still this bad (and not much better than before) is only a suspect.
const GARBLED: i32 = 60;
/// Judged runs by key (see [`Mojibake::judge_cached`]).
type RunCache = HashMap<Box<str>, Option<Arc<RunRepair>>, FxBuild>;

/// Judged runs remembered per thread, per generation (see [`Mojibake::judge_cached`]).
const RUN_CACHE: usize = 1 << 14;

static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A fast hasher for the run cache (FxHash's multiply-rotate).
#[derive(Default, Clone, Copy)]
struct FxBuild;

struct FxHasher(u64);

impl std::hash::BuildHasher for FxBuild {
    type Hasher = FxHasher;
    fn build_hasher(&self) -> FxHasher {
        FxHasher(0)
    }
}

impl std::hash::Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.write_u64(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        }
        for &b in chunks.remainder() {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// At most this many layers of mojibake are undone.
const MAX_LAYERS: usize = 4;

/// Mojibake and C1-control repair.
pub struct Mojibake {
    /// Enabled charsets.
    enabled: Mask,
    /// Rule per charset (None: switched off).
    rules: [Option<RuleRef>; charsets::COUNT],
    /// Windows-1252's own characters (€, curly quotes…) may be used: the cp1252 rule is on.
    cp1252: bool,
    /// C1 controls may stand for the byte of the same number (Latin-1).
    latin1: Option<RuleRef>,
    /// Lone C1 controls become their Windows-1252 character.
    c1: Option<RuleRef>,
    tables: &'static Tables,
    /// Distinguishes this step's cached judgements from another configuration's.
    id: u64,
}

/// What kind of sequence a piece decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PieceKind {
    /// A valid UTF-8 sequence (or a CESU-8 surrogate pair).
    Real,
    /// A sequence with bytes lost to "?" or U+FFFD, repaired as one U+FFFD.
    Lossy,
    /// The same, where U+FFFD (not "?") marks the loss.
    LossyMarked,
    /// A sequence whose 0xA0 byte had become a space.
    LostSpace,
}

/// One decoded sequence of a layer: the input characters it replaces and what replaces them.
#[derive(Clone, Debug)]
struct Piece {
    from: Range<usize>,
    to: Out,
    kind: PieceKind,
    /// C1 controls stood for bytes Windows-1252 defines (a Latin-1 reading).
    latin1: bool,
}

/// What a piece decodes to: one character, or two for "à " (no allocation).
#[derive(Clone, Copy, Debug)]
struct Out {
    chars: [char; 2],
    len: u8,
}

impl Out {
    fn one(c: char) -> Out {
        Out {
            chars: [c, '\0'],
            len: 1,
        }
    }

    fn two(a: char, b: char) -> Out {
        Out {
            chars: [a, b],
            len: 2,
        }
    }

    fn iter(self) -> impl Iterator<Item = char> {
        self.chars.into_iter().take(usize::from(self.len))
    }
}

/// A layer after its clusters were judged.
struct Settled {
    chars: Vec<char>,
    gain: i32,
    latin1: bool,
    lossy: usize,
    lost_spaces: usize,
    /// For two layers judged at once: the inner layer's charset.
    inner: Option<CharsetId>,
    /// Clusters kept (each paid the charset's prior).
    clusters: i32,
}

/// A run and its surroundings.
#[derive(Clone)]
struct RunCtx<'a> {
    run: Vec<char>,
    /// Up to two characters before and after the run.
    before: Vec<char>,
    after_ctx: Vec<char>,
    /// The rest of the text after the run.
    after: &'a str,
    /// The script most letters of the run's line are in, if one clearly is.
    script: Script,
}

/// Whether reading `before` back through `id` would turn a line that is not CJK into Han, kana
/// or Hangul it did not have. UTF-8 of CJK text misread as a Central European, Cyrillic,
/// Baltic, Mac or DOS code page is far rarer than letters of those languages that happen to
/// spell a CJK character's bytes ("ćšą” " read back through Windows-1250 is "暹"); only the
/// Western code pages (where CJK mojibake such as "æ¼¢å­—" is common) may produce it.
fn invents_cjk(id: CharsetId, line: Script, before: &[char], after: &[char]) -> bool {
    let cjk = |c: &char| badness::classify(*c).script == Script::Cjk;
    id != CharsetId::Cp1252
        && line != Script::Cjk
        && after.iter().any(cjk)
        && !before.iter().any(cjk)
}

impl RunRepair {
    /// The gain that decides: a repair that leaves the run still looking broken is a guess,
    /// never strong.
    fn sure_gain(&self) -> i32 {
        // Still bad: not much better than before, or still about as bad per character as
        // mojibake itself is.
        let per_char = self.after_bad / (self.chars.len() as i32).max(1);
        let garbled =
            self.after_bad > GARBLED && (self.after_bad * 3 > self.before_bad || per_char >= 8);
        if garbled {
            self.gain.min(STRONG - 1)
        } else {
            self.gain
        }
    }
}

/// A run's repair over all its layers.
#[derive(Clone)]
struct RunRepair {
    chars: Vec<char>,
    /// `chars` as a string (filled in once the repair is final).
    text: String,
    gain: i32,
    /// Charset of each layer, outermost first, and whether it was a Latin-1 reading.
    layers: Vec<(CharsetId, bool)>,
    /// Lone C1 controls read as Windows-1252.
    c1: usize,
    lossy: usize,
    lost_spaces: usize,
    /// Badness of the run before and after (with context).
    before_bad: i32,
    after_bad: i32,
    /// Charsets whose first-layer reading improved the run.
    viable: Mask,
    /// Charsets whose first-layer reading improved it by at least [`STRONG`].
    strong: Mask,
}

impl Mojibake {
    /// The step, if any of its rules is switched on.
    pub fn new(rules: &RuleSet) -> Option<Mojibake> {
        let mut step = Mojibake {
            enabled: 0,
            rules: Default::default(),
            cp1252: false,
            latin1: RuleRef::get(rules, LATIN1_RULE),
            c1: RuleRef::get(rules, C1_RULE),
            tables: Tables::get(),
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        };
        for (id, rule_id) in CharsetId::ALL.into_iter().zip(CHARSET_RULES) {
            step.rules[id as usize] = RuleRef::get(rules, rule_id);
        }
        step.cp1252 = step.rules[CharsetId::Cp1252 as usize].is_some();
        if step.latin1.is_some() && !step.cp1252 {
            // Latin-1 alone: the Windows-1252 charset restricted to C1 and Latin-1 characters,
            // its repairs credited to the Latin-1 rule.
            step.rules[CharsetId::Cp1252 as usize] = step.latin1.clone();
        }
        for id in CharsetId::ALL {
            if step.rules[id as usize].is_some() {
                step.enabled |= id.bit();
            }
        }
        (step.enabled != 0 || step.c1.is_some()).then_some(step)
    }

    #[inline(always)]
    fn masks(&self, c: char) -> Masks {
        self.tables.masks(c).within(self.enabled)
    }

    /// Whether `c` can be part of a run: mojibake material, a C1 control, or U+FFFD.
    #[inline]
    fn capable(&self, c: char) -> bool {
        self.masks(c).any() || is_c1(c) || c == '\u{FFFD}'
    }

    /// The runs of `text` worth a closer look: (byte range, whether it holds a candidate).
    fn next_run(&self, text: &str, from: usize) -> Option<(Range<usize>, bool)> {
        let bytes = text.as_bytes();
        let mut at = from;
        loop {
            at = next_non_ascii(bytes, at)?;
            let lead = bytes[at];
            // Characters from U+0800 on that no charset encodes (most of CJK, Indic, emoji):
            // skip without decoding.
            let width = utf8_width(lead);
            if width >= 3 && lead != 0xE2 && lead != 0xEF {
                at += width;
                continue;
            }
            let c = text[at..].chars().next().expect("at a char boundary");
            if self.capable(c) {
                break;
            }
            at += c.len_utf8();
        }
        // `at` starts a run.
        let start = at;
        let mut candidate = false;
        let mut prev: Option<(char, Masks)> = None;
        let mut prev_seen: Option<(char, Masks)> = None;
        let mut end = start;
        let mut here = start;
        while here < bytes.len() {
            let (c, width) = decode_at(bytes, here);
            if transparent(c) {
                // Controls and invisible characters the normalize stage deletes: mojibake on
                // either side of one is still one run (so cleaning twice changes nothing).
                here += width;
                continue;
            }
            if c.is_ascii() {
                let Some((p, pm)) = prev else { break };
                if !pm.any() || !(c == ' ' || c == '?') {
                    break;
                }
                let next = text[here + 1..].chars().find(|&n| !transparent(n));
                if next.is_some_and(|n| !n.is_ascii() && self.capable(n)) {
                    // A space (a lost 0xA0 byte?) or "?" (a lost byte?) between two pieces of
                    // mojibake material: one run.
                    end = here + 1;
                    prev = Some((c, Masks::default()));
                    prev_seen = prev;
                    here += 1;
                    continue;
                }
                if c == ' ' && self.grave_a(p) {
                    candidate = true;
                    end = here + 1;
                } else if c == '?' && pm.lead | pm.cont != 0 {
                    end = here + 1;
                }
                break;
            }
            let m = self.masks(c);
            if !(m.any() || is_c1(c) || c == '\u{FFFD}') {
                break;
            }
            for (_, pm) in [prev, prev_seen].into_iter().flatten() {
                if pm.lead & m.cont != 0 || (c == '\u{FFFD}' && pm.lead != 0) {
                    candidate = true;
                }
            }
            if is_c1(c) && (self.c1.is_some() || self.latin1.is_some()) {
                candidate = true;
            }
            // What normalize leaves (no soft hyphens, no C1 controls) is judged too.
            if c != '\u{AD}' && !is_c1(c) {
                prev_seen = Some((c, m));
            }
            prev = Some((c, m));
            here += width;
            end = here;
        }
        Some((start..end, candidate))
    }

    /// Whether `c` is the character byte 0xC3 decodes to in an enabled charset ("Ã", "Ă",
    /// "Г"…): the start of "à" whose 0xA0 byte became a space.
    fn grave_a(&self, c: char) -> bool {
        self.tables
            .charsets
            .iter()
            .any(|cs| self.enabled & cs.id.bit() != 0 && cs.char_of(0xC3) == Some(c))
    }

    /// The characters of `cs` that may be read back to bytes in this configuration.
    #[inline]
    fn byte_in(&self, cs: &Charset, c: char) -> Option<u8> {
        if cs.id == CharsetId::Cp1252 {
            let code = c as u32;
            if is_c1(c) {
                // The five bytes Windows-1252 leaves undefined are C1 in its table already;
                // the others need the Latin-1 reading.
                return match cs.byte(c) {
                    Some(b) => Some(b),
                    None => self.latin1.as_ref().map(|_| code as u8),
                };
            }
            if !self.cp1252 && code > 0xFF {
                return None;
            }
        }
        cs.byte(c)
    }

    /// Reads `input` back to bytes with `cs` and decodes the valid UTF-8 sequences: one
    /// [`Piece`] per sequence, in order.
    fn decode_layer(&self, cs: &Charset, input: &[char], after: &str) -> Vec<Piece> {
        const LOST: u16 = 0x100;
        const NONE: u16 = 0x200;
        let unit = |c: char| {
            if c == '\u{FFFD}' {
                LOST
            } else {
                self.byte_in(cs, c).map_or(NONE, u16::from)
            }
        };
        // Whole lines of Cyrillic mojibake are one run: room for most runs without allocating.
        let mut stack = [0u16; 256];
        let heap: Vec<u16>;
        let units: &[u16] = if input.len() <= stack.len() {
            for (slot, &c) in stack.iter_mut().zip(input) {
                *slot = unit(c);
            }
            &stack[..input.len()]
        } else {
            heap = input.iter().map(|&c| unit(c)).collect();
            &heap
        };
        let mut pieces = Vec::new();
        let mut i = 0;
        while i < units.len() {
            let unit = units[i];
            let need = if unit < 0x100 {
                lead_len(unit as u8)
            } else {
                0
            };
            if need == 0 {
                i += 1;
                continue;
            }
            let lead = unit as u8;
            // "Ã " + word: "à" whose no-break space became a plain space. It stays a word of
            // its own ("à la") except in the Portuguese contractions "às", "àquele"…
            let seen = || after.chars().filter(|&c| !transparent(c));
            if need == 1
                && lead == 0xC3
                && units.get(i + 1) == Some(&0x20)
                && i + 2 == units.len()
                && seen().find(|&c| c != ' ').is_some_and(char::is_lowercase)
            {
                // The next few characters as normalize will leave them.
                let next: String = seen().take(6).collect();
                let rest = next.trim_start_matches(' ');
                let joins = next.starts_with(' ')
                    || rest.starts_with("s ")
                    || rest == "s"
                    || ["quel", "quil"].iter().any(|w| next.starts_with(w));
                pieces.push(Piece {
                    from: i..i + 2,
                    to: if joins {
                        Out::one('à')
                    } else {
                        Out::two('à', ' ')
                    },
                    kind: PieceKind::LostSpace,
                    latin1: false,
                });
                i += 2;
                continue;
            }
            let mut code = u32::from(lead) & (0x7F >> (need + 1));
            let mut j = i + 1;
            let mut lossy = false;
            let mut marked = false;
            let mut spaces = false;
            let mut ok = true;
            for k in 0..need {
                let Some(&u) = units.get(j) else {
                    ok = false;
                    break;
                };
                let byte = if u < 0x100 && is_cont(u as u8) {
                    u as u8
                } else if u == 0x20 && j + 1 < units.len() {
                    spaces = true;
                    0xA0
                } else if u == LOST || u == u16::from(b'?') {
                    lossy = true;
                    marked |= u == LOST;
                    j += 1;
                    continue;
                } else {
                    ok = false;
                    break;
                };
                if k == 0 && !lossy && !second_byte_ok(lead, byte) {
                    ok = false;
                    break;
                }
                code = (code << 6) | u32::from(byte & 0x3F);
                j += 1;
            }
            let decoded = if !ok {
                // A surrogate half: maybe CESU-8 (a pair encoded as two three-byte sequences).
                cesu_pair(&units[i..]).map(|(c, used)| {
                    j = i + used;
                    (c, PieceKind::Real)
                })
            } else if lossy {
                let kind = if marked {
                    PieceKind::LossyMarked
                } else {
                    PieceKind::Lossy
                };
                Some(('\u{FFFD}', kind))
            } else {
                char::from_u32(code).map(|c| {
                    let kind = if spaces {
                        PieceKind::LostSpace
                    } else {
                        PieceKind::Real
                    };
                    (c, kind)
                })
            };
            let Some((c, kind)) = decoded else {
                i += 1;
                continue;
            };
            let latin1 = cs.id == CharsetId::Cp1252
                && input[i..j]
                    .iter()
                    .any(|&c| is_c1(c) && cs.byte(c).is_none());
            pieces.push(Piece {
                from: i..j,
                to: Out::one(c),
                kind,
                latin1,
            });
            i = j;
        }
        // Lost bytes and lost no-break spaces are guesses: believable next to a sequence that
        // decoded cleanly, where U+FFFD itself marks the loss, or as the "à" rule.
        let real = pieces
            .iter()
            .filter(|p| matches!(p.kind, PieceKind::Real | PieceKind::LossyMarked))
            .count();
        if real == 0 {
            pieces.retain(|p| match p.kind {
                // "â€?": a lead and a continuation before the lost byte.
                PieceKind::Lossy => p.from.len() >= 3,
                PieceKind::LostSpace => p.from.len() == 2 && p.to.chars[0] == 'à',
                PieceKind::Real | PieceKind::LossyMarked => true,
            });
        }
        pieces
    }

    /// Keeps the clusters of `pieces` (pieces side by side) that make the text clearly
    /// better, each judged in the context of the others repaired. Returns the new text, the
    /// gain and what was used.
    #[allow(clippy::too_many_arguments)]
    fn settle(
        &self,
        prior: i32,
        input: &[char],
        pieces: Vec<Piece>,
        before: &[char],
        after_ctx: &[char],
        script: Script,
    ) -> Option<Settled> {
        if pieces.is_empty() {
            return None;
        }
        // Clusters: ranges of pieces whose inputs touch.
        let mut clusters: Vec<Range<usize>> = Vec::new();
        for (k, piece) in pieces.iter().enumerate() {
            match clusters.last_mut() {
                Some(last) if pieces[last.end - 1].from.end == piece.from.start => last.end = k + 1,
                _ => clusters.push(k..k + 1),
            }
        }
        // The window with every piece applied, and where each cluster landed in it.
        let mut window: Vec<char> =
            Vec::with_capacity(before.len() + input.len() + after_ctx.len());
        window.extend_from_slice(before);
        let mut spots: Vec<Range<usize>> = Vec::with_capacity(clusters.len());
        let mut at = 0;
        for cluster in &clusters {
            let from = pieces[cluster.start].from.start;
            window.extend_from_slice(&input[at..from]);
            let start = window.len();
            for piece in &pieces[cluster.clone()] {
                window.extend(piece.to.iter());
            }
            spots.push(start..window.len());
            at = pieces[cluster.end - 1].from.end;
        }
        window.extend_from_slice(&input[at..]);
        window.extend_from_slice(after_ctx);

        let mut keep = vec![false; clusters.len()];
        let mut gain = 0;
        let mut scratch: Vec<char> = Vec::new();
        for (k, cluster) in clusters.iter().enumerate() {
            let spot = spots[k].clone();
            let lo = spot.start.saturating_sub(2);
            let hi = (spot.end + 2).min(window.len());
            let fixed = badness(&window[lo..hi], script);
            let source = pieces[cluster.start].from.start..pieces[cluster.end - 1].from.end;
            scratch.clear();
            scratch.extend_from_slice(&window[lo..spot.start]);
            scratch.extend_from_slice(&input[source]);
            scratch.extend_from_slice(&window[spot.end..hi]);
            let broken = badness(&scratch, script);
            let cost: i32 = prior
                + pieces[cluster.clone()]
                    .iter()
                    .map(|p| match p.kind {
                        PieceKind::Real => 0,
                        PieceKind::Lossy => LOSSY_COST,
                        PieceKind::LossyMarked => LOSSY_MARKED_COST,
                        PieceKind::LostSpace => LOST_SPACE_COST,
                    })
                    .sum::<i32>();
            let g = broken - fixed - cost;
            if g > 0 {
                keep[k] = true;
                gain += g;
            }
        }
        if gain == 0 {
            return None;
        }
        let mut out = Vec::with_capacity(input.len());
        let mut settled = Settled {
            chars: Vec::new(),
            gain,
            latin1: false,
            lossy: 0,
            lost_spaces: 0,
            inner: None,
            clusters: keep.iter().filter(|k| **k).count() as i32,
        };
        let mut at = 0;
        for (k, cluster) in clusters.iter().enumerate() {
            if !keep[k] {
                continue;
            }
            for piece in &pieces[cluster.clone()] {
                out.extend_from_slice(&input[at..piece.from.start]);
                out.extend(piece.to.iter());
                at = piece.from.end;
                settled.latin1 |= piece.latin1;
                match piece.kind {
                    PieceKind::Real => {}
                    PieceKind::Lossy | PieceKind::LossyMarked => settled.lossy += 1,
                    PieceKind::LostSpace => settled.lost_spaces += 1,
                }
            }
        }
        out.extend_from_slice(&input[at..]);
        settled.chars = out;
        Some(settled)
    }

    /// Repairs one run, layer after layer, with up to two characters of context either side.
    /// `favored` is the charset most of the document's runs can be read back with: its prior
    /// is waived and it wins ties.
    fn repair_run(&self, ctx: &RunCtx, favored: Option<CharsetId>) -> Option<RunRepair> {
        let RunCtx {
            run,
            before,
            after_ctx,
            after,
            script,
            ..
        } = ctx;
        let prior = |id: CharsetId| if Some(id) == favored { 0 } else { id.prior() };
        // The favored charset first, then the others in their usual order (no allocation).
        let mut order = CharsetId::ALL;
        if let Some(fav) = favored {
            let at = order
                .iter()
                .position(|&id| id == fav)
                .expect("every charset");
            order[..=at].rotate_right(1);
        }
        let mut current: Vec<char> = run.clone();
        let mut repair = RunRepair {
            chars: Vec::new(),
            text: String::new(),
            gain: 0,
            layers: Vec::new(),
            c1: 0,
            lossy: 0,
            lost_spaces: 0,
            before_bad: 0,
            after_bad: 0,
            viable: 0,
            strong: 0,
        };
        for _ in 0..MAX_LAYERS {
            let mask = self.candidates(&current);
            if mask == 0 {
                break;
            }
            let first = repair.layers.is_empty();
            let mut best: Option<(Settled, CharsetId)> = None;
            // The favored charset only chooses between readings; how sure the repair is
            // comes from the usual priors, so favoring never tips a repair over a threshold
            // (and a second cleaning, favoring another charset, decides the same).
            let mut sure = i32::MIN;
            // Every reading first; only those that explain at least half as much of the run as
            // the best one are judged (a wrong charset reads a few stray sequences).
            let readings: Vec<(CharsetId, Vec<Piece>)> = order
                .iter()
                .filter(|id| mask & id.bit() != 0)
                .map(|&id| {
                    (
                        id,
                        self.decode_layer(self.tables.charset(id), &current, after),
                    )
                })
                .collect();
            let covered = |pieces: &[Piece]| pieces.iter().map(|p| p.from.len()).sum::<usize>();
            let most = readings.iter().map(|(_, p)| covered(p)).max().unwrap_or(0);
            for (id, pieces) in readings {
                if covered(&pieces) * 2 < most {
                    continue;
                }
                let Some(settled) =
                    self.settle(prior(id), &current, pieces, before, after_ctx, *script)
                else {
                    continue;
                };
                if invents_cjk(id, *script, &current, &settled.chars) {
                    continue;
                }
                if first {
                    repair.viable |= id.bit();
                    if settled.gain - (id.prior() - prior(id)) * settled.clusters >= STRONG {
                        repair.strong |= id.bit();
                    }
                }
                sure = sure.max(settled.gain - (id.prior() - prior(id)) * settled.clusters);
                // A layer under another must be worth a repair of its own: a second cleaning
                // would judge it as a first layer.
                let needed = if first { 1 } else { WEAK };
                if settled.gain >= needed && best.as_ref().is_none_or(|b| settled.gain > b.0.gain) {
                    best = Some((settled, id));
                }
            }
            // Two layers at once only where the run still looks broken (a repaired run
            // rarely does, and this is the expensive part).
            if best.is_none() && self.still_broken(ctx, &current) {
                best = self.two_layers(ctx, &current, &order, mask, &prior).filter(
                    |(settled, outer)| {
                        let inner = settled.inner.expect("two layers");
                        !invents_cjk(*outer, *script, &current, &settled.chars)
                            && !invents_cjk(inner, *script, &current, &settled.chars)
                    },
                );
                if let Some((settled, outer)) = &best {
                    // Both layers at once; record the inner one too.
                    let inner = settled.inner.expect("two layers");
                    repair.layers.push((inner, false));
                    sure = settled.gain
                        - (outer.prior() - prior(*outer))
                        - (inner.prior() - prior(inner));
                }
            }
            let Some((settled, id)) = best else { break };
            repair.gain += sure;
            repair.lossy += settled.lossy;
            repair.lost_spaces += settled.lost_spaces;
            repair.layers.insert(
                repair.layers.len() - usize::from(settled.inner.is_some()),
                (id, settled.latin1),
            );
            current = settled.chars;
        }
        if self.c1.is_some() {
            let cp1252 = self.tables.charset(CharsetId::Cp1252);
            let current = &mut current;
            for c in current.iter_mut() {
                if is_c1(*c) {
                    if let Some(fixed) = cp1252.char_of(*c as u32 as u8).filter(|f| !is_c1(*f)) {
                        *c = fixed;
                        repair.c1 += 1;
                    }
                }
            }
        }
        if repair.layers.is_empty() && repair.c1 == 0 {
            return None;
        }
        let window = |chars: &[char]| {
            let mut w = Vec::with_capacity(before.len() + chars.len() + after_ctx.len());
            w.extend_from_slice(before);
            w.extend_from_slice(chars);
            w.extend_from_slice(after_ctx);
            badness(&w, ctx.script)
        };
        repair.after_bad = window(&current);
        // Only needed to tell a garbled result (see `sure_gain`).
        repair.before_bad = if repair.after_bad > GARBLED {
            window(run.as_slice())
        } else {
            0
        };
        repair.chars = current;
        Some(repair)
    }

    /// A run's repair, judged as the run stands and as the normalize stage will leave it.
    ///
    /// Cleaning twice must change nothing, and normalize deletes soft hyphens and C1 controls
    /// and makes no-break spaces plain: the run as normalize will leave it is judged too and
    /// the surer repair wins, and a repair that normalize will change again is carried on.
    fn judge(&self, ctx: &RunCtx, favored: Option<CharsetId>) -> Option<RunRepair> {
        // A repair that starts with a combining mark the character before would absorb (NFC)
        // makes a new character outside the run: not a repair to make.
        let absorbed = |r: &RunRepair| match (ctx.before.last(), r.chars.first()) {
            (Some(&prev), Some(&mark)) => {
                (mark as u32) >= 0x300
                    && unicode_normalization::char::canonical_combining_class(mark) != 0
                    && [prev, mark].into_iter().nfc().count() == 1
            }
            _ => false,
        };
        let mut repair = self.repair_run(ctx, favored).filter(|r| !absorbed(r));
        // A sure repair is applied whatever the view would say.
        let sure = repair.as_ref().is_some_and(|r| r.sure_gain() >= STRONG);
        if let Some(view) = (!sure).then(|| normalized_view(&ctx.run)).flatten() {
            let seen = RunCtx {
                run: view,
                ..ctx.clone()
            };
            let other = self.repair_run(&seen, favored).filter(|r| !absorbed(r));
            // Reading a C1 control as Windows-1252 is worth more than deleting it.
            let worth =
                |r: &Option<RunRepair>| r.as_ref().map_or(0, |r| r.sure_gain() + 20 * r.c1 as i32);
            if worth(&other) > worth(&repair) {
                repair = other;
            }
        }
        if let Some(first) = &repair {
            if let Some(view) = normalized_view(&first.chars) {
                let seen = RunCtx {
                    run: view,
                    ..ctx.clone()
                };
                if let Some(mut second) = self.repair_run(&seen, favored).filter(|r| !absorbed(r)) {
                    let mut layers = first.layers.clone();
                    layers.extend(second.layers.iter().copied());
                    second.layers = layers;
                    second.gain += first.gain;
                    second.before_bad = first.before_bad;
                    second.viable |= first.viable;
                    second.strong |= first.strong;
                    repair = Some(second);
                }
            }
        }
        repair
    }

    /// [`Mojibake::judge`] without favoring, remembered per thread: text repeats words, and a
    /// judgement depends only on the run, its context, its line's script and, for a run
    /// ending in a space, the next few characters.
    fn judge_cached(
        &self,
        text: &str,
        range: Range<usize>,
        script: Script,
    ) -> Option<Arc<RunRepair>> {
        thread_local! {
            static CACHE: std::cell::RefCell<(u64, RunCache, RunCache, String)> =
                std::cell::RefCell::new((
                    u64::MAX,
                    HashMap::default(),
                    HashMap::default(),
                    String::new(),
                ));
        }
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            let (id, map, old, key) = &mut *cache;
            if *id != self.id {
                *id = self.id;
                map.clear();
                old.clear();
            } else if map.len() >= RUN_CACHE {
                // Two generations: a full map becomes the old one, so the runs that keep
                // coming back survive (clearing all at once re-judged them every time).
                std::mem::swap(map, old);
                map.clear();
            }
            // The key: script, context, run (without what normalize deletes), and for a run
            // ending in a space the next few characters (the "à" rule reads them).
            key.clear();
            key.push(char::from(script as u8));
            let (before, n) = context_array(text[..range.start].chars().rev());
            key.extend(before[..n].iter().rev());
            key.push('\0');
            push_visible(key, &text[range.clone()]);
            key.push('\0');
            let after = &text[range.end..];
            let (after_ctx, n) = context_array(after.chars());
            key.extend(&after_ctx[..n]);
            if text[range.clone()].ends_with(' ') {
                key.push('\0');
                key.extend(after.chars().filter(|&c| !transparent(c)).take(7));
            }
            if let Some(hit) = map.get(key.as_str()) {
                return hit.clone();
            }
            if let Some((k, hit)) = old.remove_entry(key.as_str()) {
                map.insert(k, hit.clone());
                return hit;
            }
            let ctx = self.context_of(text, range, script);
            let judged = self.judge_fresh(&ctx).map(|mut r| {
                r.text = r.chars.iter().collect();
                Arc::new(r)
            });
            map.insert(key.as_str().into(), judged.clone());
            judged
        })
    }

    /// A run's context for judging.
    fn context_of<'a>(&self, text: &'a str, range: Range<usize>, script: Script) -> RunCtx<'a> {
        let after = &text[range.end..];
        RunCtx {
            run: text[range.clone()]
                .chars()
                .filter(|&c| !transparent(c))
                .collect(),
            before: context(text[..range.start].chars().rev())
                .into_iter()
                .rev()
                .collect(),
            after_ctx: context(after.chars()),
            script,
            after,
        }
    }

    /// [`Mojibake::judge`] without favoring, and with the glue stage's camel split in mind.
    fn judge_fresh(&self, ctx: &RunCtx) -> Option<RunRepair> {
        let mut judged = self.judge(ctx, None);
        // The glue stage may split "…çThe" into "…ç The" ("camel join"); a second cleaning
        // then sees a space after the run. Judge that reading too and keep the surer one, so
        // the second cleaning cannot find a repair this one did not make.
        let camel = ctx.run.last().is_some_and(|c| c.is_lowercase())
            && ctx.after_ctx.first().is_some_and(char::is_ascii_uppercase);
        if camel {
            let spaced = RunCtx {
                after_ctx: vec![' ', ctx.after_ctx[0]],
                ..ctx.clone()
            };
            let other = self.judge(&spaced, None);
            let gain = |r: &Option<RunRepair>| r.as_ref().map_or(i32::MIN, RunRepair::sure_gain);
            if gain(&other) > gain(&judged) {
                judged = other;
            }
        }
        judged
    }

    /// Whether `chars` in the run's context still score as broken: at least two badness
    /// points, and one for every three characters.
    fn still_broken(&self, ctx: &RunCtx, chars: &[char]) -> bool {
        let mut window = Vec::with_capacity(ctx.before.len() + chars.len() + ctx.after_ctx.len());
        window.extend_from_slice(&ctx.before);
        window.extend_from_slice(chars);
        window.extend_from_slice(&ctx.after_ctx);
        let bad = badness(&window, ctx.script);
        bad >= 20 && bad * 3 >= 10 * chars.len() as i32
    }

    /// Text broken twice where the first repair alone looks no better ("Г‚ВЈ" → "Â£" → "£"):
    /// every charset's full reading, then the best layer on top, judged as a whole.
    fn two_layers(
        &self,
        ctx: &RunCtx,
        input: &[char],
        order: &[CharsetId],
        mask: Mask,
        prior: &dyn Fn(CharsetId) -> i32,
    ) -> Option<(Settled, CharsetId)> {
        let window = |chars: &[char]| {
            let mut w = Vec::with_capacity(ctx.before.len() + chars.len() + ctx.after_ctx.len());
            w.extend_from_slice(&ctx.before);
            w.extend_from_slice(chars);
            w.extend_from_slice(&ctx.after_ctx);
            badness(&w, ctx.script)
        };
        let start = window(input);
        let mut best: Option<(Settled, CharsetId)> = None;
        for &outer in order {
            if mask & outer.bit() == 0 {
                continue;
            }
            let pieces = self.decode_layer(self.tables.charset(outer), input, ctx.after);
            if pieces.iter().any(|p| p.kind != PieceKind::Real) || pieces.is_empty() {
                continue;
            }
            let mut once = Vec::with_capacity(input.len());
            let mut at = 0;
            for piece in &pieces {
                once.extend_from_slice(&input[at..piece.from.start]);
                once.extend(piece.to.iter());
                at = piece.from.end;
            }
            once.extend_from_slice(&input[at..]);
            let inner_mask = self.candidates(&once);
            for &inner in order {
                if inner_mask & inner.bit() == 0 {
                    continue;
                }
                let pieces = self.decode_layer(self.tables.charset(inner), &once, ctx.after);
                if pieces.iter().any(|p| p.kind != PieceKind::Real) || pieces.is_empty() {
                    continue;
                }
                let mut twice = Vec::with_capacity(once.len());
                let mut at = 0;
                for piece in &pieces {
                    twice.extend_from_slice(&once[at..piece.from.start]);
                    twice.extend(piece.to.iter());
                    at = piece.from.end;
                }
                twice.extend_from_slice(&once[at..]);
                let gain = start - window(&twice) - prior(outer) - prior(inner);
                if gain > 0 && best.as_ref().is_none_or(|b| gain > b.0.gain) {
                    let settled = Settled {
                        chars: twice,
                        gain,
                        latin1: false,
                        lossy: 0,
                        lost_spaces: 0,
                        inner: Some(inner),
                        clusters: 1,
                    };
                    best = Some((settled, outer));
                }
            }
        }
        best
    }

    /// Charsets in which `chars` hold a lead byte followed by a continuation (or a loss).
    fn candidates(&self, chars: &[char]) -> Mask {
        let mut mask = 0;
        let mut prev_lead: Mask = 0;
        for &c in chars {
            let m = self.masks(c);
            mask |= prev_lead & m.cont;
            if c == '\u{FFFD}' || c == ' ' || c == '?' {
                mask |= prev_lead;
            }
            prev_lead = m.lead;
        }
        mask
    }

    fn describe(
        &self,
        layers: &[(CharsetId, bool)],
        c1: usize,
        lossy: usize,
        spaces: usize,
    ) -> (RuleRef, Arc<str>) {
        let rule_for = |&(id, latin1): &(CharsetId, bool)| -> RuleRef {
            if latin1 {
                if let Some(rule) = &self.latin1 {
                    return rule.clone();
                }
            }
            self.rules[id as usize]
                .clone()
                .expect("only enabled charsets are tried")
        };
        let rule = match layers.first() {
            Some(layer) => rule_for(layer),
            None => self
                .c1
                .clone()
                .expect("C1 repairs only when the rule is on"),
        };
        let plain =
            layers.len() <= 1 && (c1 == 0 || layers.is_empty()) && lossy == 0 && spaces == 0;
        if plain {
            let reason = Arc::clone(&rule.reason);
            return (rule, reason);
        }
        let mut reason = rule.reason.to_string();
        if layers.len() > 1 {
            let names: Vec<&str> = layers.iter().map(|(id, _)| id.label()).collect();
            reason.push_str(&format!(
                " ({} times: {})",
                layers.len(),
                names.join(", then ")
            ));
        }
        if lossy > 0 {
            reason.push_str("; bytes lost on the way shown as U+FFFD");
        }
        if spaces > 0 {
            reason.push_str("; a no-break space that had become a space put back");
        }
        if c1 > 0 && !layers.is_empty() {
            reason.push_str("; C1 controls read as Windows-1252");
        }
        (rule, Arc::from(reason))
    }
}

impl Step for Mojibake {
    fn stage(&self) -> StageName {
        StageName::Encoding
    }

    fn name(&self) -> &'static str {
        "mojibake"
    }

    fn edits(&self, doc: &Document, _: &CorpusStats) -> Vec<Edit> {
        let text = doc.text.as_str();
        if text.is_ascii() {
            return Vec::new();
        }
        let (first, evidence) = self.plan(text, 0);
        // Cleaning twice must change nothing. The normalize stage, which runs next, deletes
        // controls and invisible characters, makes special spaces plain and composes (NFC),
        // which can bring mojibake together that was apart here; and repaired lines read
        // differently (a line of mojibake becomes a Russian line, where a stray "Đ’" stands
        // out). So the text as normalize will leave it is looked at once more, with this
        // document's evidence, and what a second cleaning would repair is repaired now.
        // What the second look repairs can change what is next to it again: look until
        // nothing changes (in practice once or twice).
        let mut edits = first;
        for _ in 0..4 {
            edits.sort_by_key(|e| (e.range.start, e.range.end));
            let changed = match applied_text(text, &edits) {
                Some((after, applied)) => {
                    self.second_look(text, &after, &applied, &mut edits, evidence)
                }
                None => self.second_look(text, text, &[], &mut edits, evidence),
            };
            if !changed {
                break;
            }
        }
        edits
    }
}

impl Mojibake {
    /// The repairs a second cleaning would make, folded into `first` (edits of `text`);
    /// `after` is `text` with `first` applied and `applied` says where.
    fn second_look(
        &self,
        text: &str,
        after: &str,
        applied: &[Applied],
        first: &mut Vec<Edit>,
        evidence: Mask,
    ) -> bool {
        let mut changed = false;
        // Only lines a first-look repair touched, or that hold something normalize changes
        // (a no-break space aside: runs holding one were judged both ways already).
        let bytes = after.as_bytes();
        let mut next_applied = 0;
        let mut line_start = 0;
        while line_start < after.len() {
            let line_end =
                memchr::memchr(b'\n', &bytes[line_start..]).map_or(after.len(), |p| line_start + p);
            while applied
                .get(next_applied)
                .is_some_and(|a| a.target.end < line_start)
            {
                next_applied += 1;
            }
            let touched = applied
                .get(next_applied)
                .is_some_and(|a| a.target.start <= line_end);
            let line = &after[line_start..line_end];
            let normalizing = needs_normalizing(line.as_bytes());
            // The line as it stands (what a second run of this stage alone sees), then as
            // normalize will leave it (what a second cleaning sees); a change waits for the
            // next round.
            let mut line_changed = false;
            if touched {
                line_changed = self.look_again(
                    text,
                    after,
                    applied,
                    first,
                    evidence,
                    (line_start, line),
                    false,
                );
            }
            if normalizing && !line_changed {
                line_changed = self.look_again(
                    text,
                    after,
                    applied,
                    first,
                    evidence,
                    (line_start, line),
                    true,
                );
            }
            changed |= line_changed;
            line_start = line_end + 1;
        }
        changed
    }

    /// The second look at one line of `after` starting at byte `offset`.
    #[allow(clippy::too_many_arguments)]
    fn look_again(
        &self,
        text: &str,
        after: &str,
        applied: &[Applied],
        first: &mut Vec<Edit>,
        evidence: Mask,
        (offset, line): (usize, &str),
        normalizing: bool,
    ) -> bool {
        let mut changed = false;
        // No-break spaces alone need no normalized view (runs holding one were judged with
        // it as a space too).
        let normalized = if normalizing {
            normalize_like(line)
        } else {
            None
        };
        let (view, map) = match &normalized {
            Some((view, map)) => (view.as_str(), Some(map)),
            None => (line, None),
        };
        let second: Vec<Edit> = self
            .plan(view, evidence)
            .0
            .into_iter()
            .filter(|e| e.verdict == Verdict::Applied)
            .collect();
        for edit in second {
            if edit.range.is_empty() {
                continue;
            }
            // Where the edit lies in `after`, then in `text` (grown to whole first edits).
            let (lo, hi) = match map {
                Some(map) => (map[edit.range.start].start, map[edit.range.end - 1].end),
                None => (edit.range.start, edit.range.end),
            };
            let (lo, hi) = (offset + lo, offset + hi);
            let (from, to, grown_lo, grown_hi) = to_source(applied, lo, hi);
            let mut replacement = String::with_capacity(edit.replacement.len() + 8);
            replacement.push_str(&after[grown_lo..lo]);
            replacement.push_str(&edit.replacement);
            replacement.push_str(&after[hi..grown_hi]);
            first.retain(|e| {
                e.verdict != Verdict::Applied || e.range.end <= from || e.range.start >= to
            });
            if text[from..to] == replacement {
                continue;
            }
            first.push(Edit {
                range: from..to,
                replacement,
                ..edit
            });
            changed = true;
        }
        changed
    }

    /// The edits for `text`, judged run by run.
    /// Also returns the charsets with sure repairs; `inherited` adds evidence from an
    /// earlier look at the same document.
    fn plan(&self, text: &str, inherited: Mask) -> (Vec<Edit>, Mask) {
        // Every candidate run judged on its own. How sure a repair is never depends on the
        // rest of the document, so a second cleaning (which sees the same runs, minus the
        // ones repaired) decides the same.
        let mut judged: Vec<(Range<usize>, Script, Arc<RunRepair>)> = Vec::new();
        // Where non-ASCII text that needs no repair starts (runs of characters some charset
        // could have produced, left as they are).
        let mut fine: Vec<usize> = Vec::new();
        let mut lines = LineScripts::default();
        let mut at = 0;
        while let Some((range, candidate)) = self.next_run(text, at) {
            at = range.end.max(range.start + 1);
            while !text.is_char_boundary(at) {
                at += 1;
            }
            if !candidate {
                fine.push(range.start);
                continue;
            }
            let script = lines.script(text, range.start);
            match self.judge_cached(text, range.clone(), script) {
                Some(repair) => judged.push((range, script, repair)),
                None => fine.push(range.start),
            }
        }
        let lone = lone_pairs(text, &judged, &fine);
        // Document-wide evidence: the charsets of sure repairs let repairs that gain less
        // through the same charset be applied; and the charset most runs can be read back
        // with wins where readings tie ("MĂĄm" is ISO-8859-2 when "tĹ\x99etĂ\xadho" is).
        let mut evidence: Mask = inherited;
        let mut counts = [0usize; charsets::COUNT];
        for ((_, _, repair), &lone) in judged.iter().zip(&lone) {
            if repair.sure_gain() >= STRONG && !lone {
                evidence |= repair.strong;
            }
            for id in CharsetId::ALL {
                counts[id as usize] += usize::from(repair.viable & id.bit() != 0);
            }
        }
        let favored = CharsetId::ALL
            .into_iter()
            .filter(|&id| counts[id as usize] > 0)
            .max_by_key(|&id| {
                (
                    counts[id as usize],
                    std::cmp::Reverse(id.prior()),
                    std::cmp::Reverse(id as usize),
                )
            });
        let mut edits = Vec::new();
        for ((range, script, repair), lone) in judged.into_iter().zip(lone) {
            let gain = repair.sure_gain();
            let only_c1 = repair.layers.is_empty();
            let backed = gain >= WEAK && evidence & repair.viable != 0;
            let sure = only_c1 || (gain >= STRONG && !lone) || backed;
            if !sure && gain < WEAK {
                continue;
            }
            let mut repair = repair;
            if let Some(fav) = favored {
                let chosen = repair.layers.first().map(|l| l.0);
                if fav.prior() > 0 && repair.viable & fav.bit() != 0 && chosen != Some(fav) {
                    let ctx = self.context_of(text, range.clone(), script);
                    if let Some(mut other) = self.judge(&ctx, Some(fav)) {
                        other.text = other.chars.iter().collect();
                        repair = Arc::new(other);
                    }
                }
            }
            let (rule, reason) =
                self.describe(&repair.layers, repair.c1, repair.lossy, repair.lost_spaces);
            let fixed = repair.text.as_str();
            let (old, new) = changed_span(&text[range.clone()], fixed);
            if old.is_empty() && new.is_empty() {
                continue;
            }
            let confidence = if only_c1 {
                1.0
            } else {
                (0.5 + gain as f32 / 80.0).min(1.0)
            };
            edits.push(Edit {
                range: range.start + old.start..range.start + old.end,
                replacement: fixed[new].to_owned(),
                stage: StageName::Encoding,
                rule: rule.id,
                reason,
                confidence: if sure {
                    confidence
                } else {
                    confidence.min(0.6)
                },
                verdict: if sure {
                    Verdict::Applied
                } else {
                    Verdict::Suspect
                },
            });
        }
        (edits, evidence)
    }
}

/// For each judged run: whether it is a *lone pair* — a two-character run repaired to one
/// character ("DrÃ¥ber"), the only repair on a line that also holds non-ASCII text needing
/// none ("Bremer/Mccoy – DrÃ¥ber"). A line broken as a whole has every non-ASCII character
/// broken; one short pair amid fine text is as likely a legitimate oddity, so its repair
/// needs a sure repair through the same charset elsewhere in the document (otherwise it is
/// a suspect), and lends no evidence itself. `judged` and `fine` are in text order.
fn lone_pairs(
    text: &str,
    judged: &[(Range<usize>, Script, Arc<RunRepair>)],
    fine: &[usize],
) -> Vec<bool> {
    let bytes = text.as_bytes();
    let line_of = |at: usize| {
        let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |p| p + 1);
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |p| at + p);
        start..end
    };
    let mut lone = vec![false; judged.len()];
    let mut i = 0;
    while i < judged.len() {
        let line = line_of(judged[i].0.start);
        let mut j = i;
        while j < judged.len() && judged[j].0.start < line.end {
            j += 1;
        }
        // The runs on this line that are repairs of mojibake (not lone C1 controls).
        let mut repairs = (i..j).filter(|&k| !judged[k].2.layers.is_empty());
        if let (Some(k), None) = (repairs.next(), repairs.next()) {
            let (range, _, repair) = &judged[k];
            let pair = text[range.clone()].chars().count() == 2 && repair.chars.len() == 1;
            let first_fine = fine.partition_point(|&f| f < line.start);
            if pair && fine.get(first_fine).is_some_and(|&f| f < line.end) {
                lone[k] = true;
            }
        }
        i = j;
    }
    lone
}

/// The dominant script of each line, computed once per line.
#[derive(Default)]
struct LineScripts {
    line: Option<(Range<usize>, Script)>,
}

impl LineScripts {
    /// The script of the line holding byte `at`: the one of Latin (ASCII letters), Cyrillic
    /// (the Russian alphabet) and Greek that has at least 80% of at least 12 such letters.
    /// Letters mojibake is made of (Latin-1, Latin Extended, other Cyrillic) are not counted,
    /// so a line that is all mojibake has none.
    fn script(&mut self, text: &str, at: usize) -> Script {
        if let Some((range, script)) = &self.line {
            if range.contains(&at) {
                return *script;
            }
        }
        let bytes = text.as_bytes();
        let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |p| p + 1);
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |p| at + p);
        let script = line_script(&text[start..end]);
        self.line = Some((start..end.max(start + 1), script));
        script
    }
}

/// The script of a line (see [`LineScripts::script`]).
#[inline]
fn line_script(line: &str) -> Script {
    let bytes = line.as_bytes();
    // Branch-free counts (the compiler vectorizes them): this runs on every line with a
    // candidate run.
    let latin = bytes
        .iter()
        .filter(|&&b| (b | 0x20).wrapping_sub(b'a') < 26)
        .count();
    let (mut cyrillic, mut greek) = (0usize, 0usize);
    if !line.is_ascii() {
        for pair in bytes.windows(2) {
            let (b, n) = (pair[0], pair[1]);
            // А-п, р-я (U+0410–U+044F).
            cyrillic += usize::from(b == 0xD0 && (0x90..=0xBF).contains(&n))
                + usize::from(b == 0xD1 && (0x80..=0x8F).contains(&n));
            // Α-ω (U+0391–U+03C9).
            greek += usize::from(b == 0xCE && (0x91..=0xBF).contains(&n))
                + usize::from(b == 0xCF && (0x80..=0x89).contains(&n));
        }
    }
    let total = latin + cyrillic + greek;
    [
        (latin, Script::Latin),
        (cyrillic, Script::Cyrillic),
        (greek, Script::Greek),
    ]
    .into_iter()
    .find(|&(n, _)| total >= 12 && n * 5 >= total * 4)
    .map_or(Script::None, |(_, s)| s)
}

/// Appends `run` without its [`transparent`] characters, copying the stretches between them
/// whole (a cache key is built for every run, so this is on the hot path).
fn push_visible(key: &mut String, run: &str) {
    let bytes = run.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Only these bytes can start a transparent character.
        let width = match b {
            0x00..=0x1F | 0x7F => usize::from(transparent(char::from(b))),
            0xE1 | 0xE2 | 0xEF => {
                let (c, width) = decode_at(bytes, i);
                if transparent(c) {
                    width
                } else {
                    i += width;
                    continue;
                }
            }
            _ => 0,
        };
        if width == 0 {
            i += 1;
            continue;
        }
        key.push_str(&run[copied..i]);
        i += width;
        copied = i;
    }
    key.push_str(&run[copied..]);
}

/// Up to two characters of context on one side of a run: the neighbour, and the one beyond
/// if it is ASCII (a non-ASCII one may be part of another run that a repair changes, and a
/// run must be judged the same before and after its neighbours are repaired).
fn context(chars: impl Iterator<Item = char>) -> Vec<char> {
    let (out, n) = context_array(chars);
    out[..n].to_vec()
}

/// [`context`] without allocating: the characters and how many there are.
#[inline]
fn context_array(mut chars: impl Iterator<Item = char>) -> ([char; 2], usize) {
    let mut chars = chars.by_ref().filter(|&c| !transparent(c));
    let mut out = ['\0'; 2];
    let Some(c) = chars.next() else {
        return (out, 0);
    };
    out[0] = c;
    match chars.next().filter(char::is_ascii) {
        Some(d) => {
            out[1] = d;
            (out, 2)
        }
        None => (out, 1),
    }
}

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9F}').contains(&c)
}

/// Characters that are never mojibake material and that the normalize stage deletes: C0
/// controls other than tab and line breaks, DEL, zero-width and invisible characters.
fn transparent(c: char) -> bool {
    let code = c as u32;
    if code < 0x20 {
        return !matches!(code, 0x09 | 0x0A | 0x0D);
    }
    if code < 0x7F {
        return false;
    }
    code == 0x7F || (code >= 0x180E && matches!(code, 0x180E | 0x200B..=0x200D | 0x2060 | 0xFEFF))
}

/// What the normalize stage will make of a run: no soft hyphens or C1 controls, no-break
/// spaces as spaces, NFC. None when that is the run itself.
fn normalized_view(chars: &[char]) -> Option<Vec<char>> {
    let touched = |c: char| c == '\u{AD}' || c == '\u{A0}' || is_c1(c);
    // Only characters from the combining marks on can change under NFC.
    let composed = chars.iter().all(|&c| (c as u32) < 0x300)
        || is_nfc_quick(chars.iter().copied()) == IsNormalized::Yes;
    if composed && !chars.iter().any(|&c| touched(c)) {
        return None;
    }
    let view: Vec<char> = chars
        .iter()
        .filter(|&&c| c != '\u{AD}' && !is_c1(c))
        .map(|&c| if c == '\u{A0}' { ' ' } else { c })
        .nfc()
        .collect();
    (view != chars).then_some(view)
}

/// Whether `byte` may follow `lead` as the second byte of a UTF-8 sequence (no overlongs,
/// surrogates or code points past U+10FFFF).
fn second_byte_ok(lead: u8, byte: u8) -> bool {
    match lead {
        0xE0 => byte >= 0xA0,
        0xED => byte <= 0x9F,
        0xF0 => byte >= 0x90,
        0xF4 => byte <= 0x8F,
        _ => true,
    }
}

/// A CESU-8 surrogate pair at the start of `units`: the character and units used.
fn cesu_pair(units: &[u16]) -> Option<(char, usize)> {
    if units.len() < 6 {
        return None;
    }
    let b: Vec<u8> = units[..6]
        .iter()
        .map(|&u| if u < 0x100 { u as u8 } else { 0 })
        .collect();
    let ok = b[0] == 0xED
        && (0xA0..=0xAF).contains(&b[1])
        && is_cont(b[2])
        && b[3] == 0xED
        && (0xB0..=0xBF).contains(&b[4])
        && is_cont(b[5]);
    if !ok {
        return None;
    }
    let high = 0xD000 | (u32::from(b[1] & 0x3F) << 6) | u32::from(b[2] & 0x3F);
    let low = 0xD000 | (u32::from(b[4] & 0x3F) << 6) | u32::from(b[5] & 0x3F);
    let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
    char::from_u32(code).map(|c| (c, 6))
}

/// The character starting at byte `i` of valid UTF-8, and its width.
#[inline(always)]
fn decode_at(bytes: &[u8], i: usize) -> (char, usize) {
    let b0 = u32::from(bytes[i]);
    let cont = |k: usize| u32::from(bytes[i + k] & 0x3F);
    let (code, width) = match b0 {
        0..=0x7F => (b0, 1),
        0xC0..=0xDF => (((b0 & 0x1F) << 6) | cont(1), 2),
        0xE0..=0xEF => (((b0 & 0x0F) << 12) | (cont(1) << 6) | cont(2), 3),
        _ => (
            ((b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3),
            4,
        ),
    };
    (char::from_u32(code).unwrap_or('\u{FFFD}'), width)
}

/// Bytes in the UTF-8 sequence a lead byte starts.
fn utf8_width(lead: u8) -> usize {
    match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xFF => 4,
        _ => 1,
    }
}

/// The first non-ASCII byte at or after `from`, eight bytes at a time.
fn next_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while at + 8 <= bytes.len() {
        let word = u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"));
        let high = word & 0x8080_8080_8080_8080;
        if high != 0 {
            return Some(at + (high.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    bytes[at..].iter().position(|b| *b >= 0x80).map(|p| at + p)
}

/// Where an applied edit of the first look put its replacement.
struct Applied {
    /// In the original text.
    source: Range<usize>,
    /// In the text after the first look.
    target: Range<usize>,
}

/// `text` with the applied `edits` (sorted, not overlapping) applied, and where each went.
/// None when nothing is applied.
fn applied_text(text: &str, edits: &[Edit]) -> Option<(String, Vec<Applied>)> {
    let mut out = String::with_capacity(text.len());
    let mut applied = Vec::new();
    let mut copied = 0;
    for edit in edits.iter().filter(|e| e.verdict == Verdict::Applied) {
        out.push_str(&text[copied..edit.range.start]);
        let start = out.len();
        out.push_str(&edit.replacement);
        applied.push(Applied {
            source: edit.range.clone(),
            target: start..out.len(),
        });
        copied = edit.range.end;
    }
    if applied.is_empty() {
        return None;
    }
    out.push_str(&text[copied..]);
    Some((out, applied))
}

/// Maps `lo..hi` of the text after the first look back to the original text, grown to cover
/// every first edit it touches: (source start, source end, grown lo, grown hi).
fn to_source(applied: &[Applied], lo: usize, hi: usize) -> (usize, usize, usize, usize) {
    let (mut grown_lo, mut grown_hi) = (lo, hi);
    for a in applied {
        if a.target.start < hi && lo < a.target.end {
            grown_lo = grown_lo.min(a.target.start);
            grown_hi = grown_hi.max(a.target.end);
        }
    }
    // Offsets outside first edits move by the length change of the edits before them.
    let back = |x: usize| -> usize {
        let shift: isize = applied
            .iter()
            .filter(|a| a.target.end <= x)
            .map(|a| a.source.len() as isize - a.target.len() as isize)
            .sum();
        x.saturating_add_signed(shift)
    };
    (back(grown_lo), back(grown_hi), grown_lo, grown_hi)
}

/// The text as the normalize stage will leave it, near enough for mojibake: controls,
/// soft hyphens and invisible characters deleted, special spaces plain, line separators as
/// line feeds, NFC. For each of its characters, the byte range of `text` it comes from.
/// None when that is `text` itself.
fn normalize_like(text: &str) -> Option<(String, Vec<Range<usize>>)> {
    let special = |c: char| {
        matches!(
            c,
            '\u{0}'..='\u{8}'
                | '\u{B}'..='\u{1F}'
                | '\u{7F}'..='\u{A0}'
                | '\u{AD}'
                | '\u{1680}'
                | '\u{180E}'
                | '\u{2000}'..='\u{200D}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{2060}'
                | '\u{FEFF}'
        )
    };
    if !text.chars().any(special) && is_nfc_quick(text.chars()) == IsNormalized::Yes {
        return None;
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(text.len(), |x| x.0);
    // Deletions and replacements first (normalize composes last), then NFC.
    let mut kept: Vec<(char, Range<usize>)> = Vec::with_capacity(chars.len());
    let mut prev: Option<char> = None;
    for (i, &(at, c)) in chars.iter().enumerate() {
        let range = at..end_of(i + 1);
        let next = chars.get(i + 1).map(|x| x.1);
        match c {
            '\r' if next == Some('\n') => {}
            '\r' | '\u{85}' | '\u{2028}' => kept.push(('\n', range)),
            '\u{2029}' => {
                kept.push(('\n', range.clone()));
                kept.push(('\n', range));
            }
            '\u{0}'..='\u{8}' | '\u{B}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{AD}' => {}
            '\u{180E}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}' => {}
            '\u{200C}' | '\u{200D}' => {
                let shaping =
                    |c: Option<char>| c.is_some_and(|c| !c.is_ascii() && !c.is_whitespace());
                if shaping(prev) && shaping(next) {
                    kept.push((c, range));
                }
            }
            '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => {
                kept.push((' ', range))
            }
            _ => kept.push((c, range)),
        }
        prev = Some(c);
    }
    let mut out = String::with_capacity(text.len());
    let mut map: Vec<Range<usize>> = Vec::with_capacity(text.len());
    let mut push = |c: char, range: &Range<usize>| {
        out.push(c);
        for _ in 0..c.len_utf8() {
            map.push(range.clone());
        }
    };
    let mut i = 0;
    while i < kept.len() {
        // A character and the marks that may compose with it.
        let mut j = i + 1;
        while j < kept.len() && may_compose(kept[j].0) {
            j += 1;
        }
        if j == i + 1 {
            push(kept[i].0, &kept[i].1);
        } else {
            let range = kept[i].1.start..kept[j - 1].1.end;
            for composed in kept[i..j].iter().map(|x| x.0).nfc() {
                push(composed, &range);
            }
        }
        i = j;
    }
    (out != text).then_some((out, map))
}

/// Whether a line holds something the normalize stage changes that could matter to mojibake:
/// controls, soft hyphens, zero-width and special spaces, line separators, byte-order marks,
/// combining marks (NFC). No-break spaces are not counted (runs holding one are judged with
/// it as a space too).
fn needs_normalizing(line: &[u8]) -> bool {
    // Bytes that can start one of those characters; everything else is skipped fast.
    const fn table() -> [bool; 256] {
        let mut t = [false; 256];
        let mut b = 0;
        while b < 0x20 {
            t[b] = !matches!(b, 0x09 | 0x0A | 0x0D);
            b += 1;
        }
        t[0x7F] = true;
        t[0xC2] = true;
        t[0xCC] = true;
        t[0xCD] = true;
        t[0xE1] = true;
        t[0xE2] = true;
        t[0xEF] = true;
        t
    }
    static START: [bool; 256] = table();
    // Printable ASCII, eight bytes at a time: no byte below 0x20, none 0x7F or from 0x80.
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = 0;
    while i + 8 <= line.len() {
        let w = u64::from_le_bytes(line[i..i + 8].try_into().expect("eight bytes"));
        let low = w.wrapping_sub(0x20 * ONES) & !w;
        let del = (w ^ (0x7F * ONES)).wrapping_sub(ONES) & !(w ^ (0x7F * ONES));
        if (w | low | del) & HIGH != 0 {
            break;
        }
        i += 8;
    }
    while i < line.len() {
        let Some(skip) = line[i..].iter().position(|&b| START[usize::from(b)]) else {
            return false;
        };
        i += skip;
        let b = line[i];
        match b {
            0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F | 0x7F => return true,
            0xC2 if matches!(line.get(i + 1), Some(0x80..=0x9F | 0xAD)) => return true,
            0xCC | 0xCD => return true,
            0xE1 if matches!(line.get(i + 1..i + 3), Some([0xA0, 0x8E] | [0x9A, 0x80])) => {
                return true
            }
            0xE2 => match line.get(i + 1..i + 3) {
                Some([0x80, 0x80..=0x8F | 0xA8..=0xAF]) | Some([0x81, 0x9F..=0xAF]) => return true,
                _ => {}
            },
            0xEF if line.get(i + 1..i + 3) == Some(&[0xBB, 0xBF]) => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// Whether NFC may compose `c` with what comes before it.
fn may_compose(c: char) -> bool {
    !c.is_ascii()
        && (unicode_normalization::char::canonical_combining_class(c) != 0
            || is_nfc_quick(std::iter::once(c)) != IsNormalized::Yes)
}

#[cfg(test)]
mod tests;
