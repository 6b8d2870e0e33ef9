//! The encoding stage through the library API: legacy encodings decoded, every kind of
//! mojibake repaired, text that was fine left byte-identical, and the properties that
//! repair(mojibake(s)) == s and repair(s) == s.

use std::sync::{Arc, OnceLock};

// The allocator the binary ships with (src/main.rs), so the in-process `throughput` figure
// measures the stage as the CLI runs it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use encoding_rs::Encoding;
use proptest::prelude::*;
use unscrape::document::Origin;
use unscrape::{Cleaner, RuleSet, StageName, StageSet, Verdict};

/// All stages, default rules.
fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(Cleaner::with_defaults)
}

/// Only the encoding stage (what `--only encoding` runs): its output is exactly the repaired
/// text, with nothing from normalize (final newline, spaces) mixed in.
fn encoding_only() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let rules = RuleSet::defaults().unwrap();
        let stages = StageSet::none().with(StageName::Encoding);
        Cleaner::new(&rules, stages, Arc::default()).unwrap()
    })
}

fn repair(text: &str) -> String {
    encoding_only().clean_text("doc", text).doc.text
}

fn repair_bytes(bytes: Vec<u8>) -> String {
    encoding_only()
        .clean_bytes("doc", Origin::Memory, bytes)
        .doc
        .text
}

/// UTF-8 bytes of `s` decoded with the wrong single-byte `encoding`.
fn misread(s: &str, encoding: &'static Encoding) -> String {
    encoding
        .decode_without_bom_handling(s.as_bytes())
        .0
        .into_owned()
}

/// UTF-8 bytes read as Latin-1.
fn latin1(s: &str) -> String {
    s.bytes().map(char::from).collect()
}

// --- Legacy encodings: one test per family, from bytes encoded here. -----------------------

fn round_trip(text: &str, encoding: &'static Encoding) {
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(!unmappable, "{} cannot encode the sample", encoding.name());
    let cleaned = encoding_only().clean_bytes("doc", Origin::Memory, bytes.into_owned());
    // The detector may name a superset or twin (GBK for GB18030 text, KOI8-U for Russian
    // KOI8-R, windows-1253 for ISO-8859-7): the text is what must come back.
    assert_eq!(
        cleaned.doc.text,
        text,
        "{} detected as {}",
        encoding.name(),
        cleaned.doc.decoding.encoding
    );
    assert!(cleaned.doc.decoding.detected);
}

#[test]
fn windows_1252_western() {
    round_trip(
        "Le garçon a mangé une crème brûlée à l’hôtel. Die Straße führt über den Fluss. \
         El niño comió piña en la mañana. “Quotes” — and dashes…",
        encoding_rs::WINDOWS_1252,
    );
}

#[test]
fn iso_8859_2_central_european() {
    round_trip(
        "Zażółć gęślą jaźń. Pchnąć w tę łódź jeża lub ośm skrzyń fig. Wśród zarośli \
         szumiały świerki, a łąka była pełna źdźbeł.",
        encoding_rs::ISO_8859_2,
    );
}

#[test]
fn windows_1250_central_european() {
    round_trip(
        "Příliš žluťoučký kůň úpěl ďábelské ódy. Všichni občané České republiky mají \
         právo na vzdělání a ochranu zdraví. „Děkuji“, řekl.",
        encoding_rs::WINDOWS_1250,
    );
}

#[test]
fn windows_1251_cyrillic() {
    round_trip(
        "Съешь же ещё этих мягких французских булок, да выпей чаю. В чащах юга жил бы \
         цитрус? Да, но фальшивый экземпляр!",
        encoding_rs::WINDOWS_1251,
    );
}

#[test]
fn koi8_r_cyrillic() {
    round_trip(
        "Широкая электрификация южных губерний даст мощный толчок подъёму сельского \
         хозяйства. Съешь же ещё этих мягких французских булок.",
        encoding_rs::KOI8_R,
    );
}

#[test]
fn iso_8859_7_greek() {
    round_trip(
        "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία. Η Ελλάδα είναι μια χώρα στη νοτιοανατολική \
         Ευρώπη με πλούσια ιστορία και πολιτισμό.",
        encoding_rs::ISO_8859_7,
    );
}

#[test]
fn shift_jis_and_euc_jp_japanese() {
    let text = "日本語のテキストです。東京都の天気は晴れ、気温は二十度でした。\
                明日は雨が降るでしょう。ご注意ください。";
    round_trip(text, encoding_rs::SHIFT_JIS);
    round_trip(text, encoding_rs::EUC_JP);
}

#[test]
fn gb18030_and_big5_chinese() {
    round_trip(
        "这是一个中文文本的例子。北京今天天气晴朗，气温二十度。我们明天去公园散步吧。",
        encoding_rs::GB18030,
    );
    round_trip(
        "這是一個中文文本的例子。臺北今天天氣晴朗，氣溫二十度。我們明天去公園散步吧。",
        encoding_rs::BIG5,
    );
}

#[test]
fn euc_kr_korean() {
    round_trip(
        "한국어 텍스트의 예입니다. 서울의 날씨는 맑고 기온은 이십 도입니다. \
         내일은 비가 올 것입니다.",
        encoding_rs::EUC_KR,
    );
}

#[test]
fn utf16_with_bom() {
    let text = "UTF-16 with a byte-order mark: naïve café, Ελλάδα, 日本語 😀";
    for (bom, little) in [([0xFF, 0xFE], true), ([0xFE, 0xFF], false)] {
        let mut bytes = bom.to_vec();
        for unit in text.encode_utf16() {
            let pair = if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            };
            bytes.extend_from_slice(&pair);
        }
        let cleaned = encoding_only().clean_bytes("doc", Origin::Memory, bytes);
        assert_eq!(cleaned.doc.text, format!("\u{FEFF}{text}"));
        assert!(cleaned.doc.decoding.bom);
    }
}

// --- Mojibake: one test per kind. -----------------------------------------------------------

#[test]
fn mojibake_utf8_read_as_windows_1252() {
    assert_eq!(repair("OpenAIâ€™s new model"), "OpenAI’s new model");
    let text = "Le café était fermé; «déjà vu» à l’hôtel.";
    assert_eq!(repair(&misread(text, encoding_rs::WINDOWS_1252)), text);
}

#[test]
fn mojibake_utf8_read_as_sloppy_windows_1252() {
    // "Í" is C3 8D: 0x8D is undefined in Windows-1252 and comes through as U+008D.
    let text = "ÍNDICE de precios, Ísland, Ý";
    let broken = misread(text, encoding_rs::WINDOWS_1252);
    assert!(broken.contains('\u{8D}'));
    assert_eq!(repair(&broken), text);
}

#[test]
fn mojibake_utf8_read_as_latin1() {
    let text = "It’s “quoted” — and the café’s menu…";
    assert_eq!(repair(&latin1(text)), text);
}

#[test]
fn mojibake_utf8_read_as_windows_1250() {
    let text = "Žluťoučký kůň pěl ďábelské ódy; Zażółć gęślą jaźń.";
    assert_eq!(repair(&misread(text, encoding_rs::WINDOWS_1250)), text);
    // Cyrillic through Windows-1250.
    let text = "Москва — столица России.";
    assert_eq!(repair(&misread(text, encoding_rs::WINDOWS_1250)), text);
}

#[test]
fn mojibake_utf8_read_as_windows_1251() {
    let text = "Привет, мир! Как дела? Всё хорошо.";
    assert_eq!(repair(&misread(text, encoding_rs::WINDOWS_1251)), text);
    assert_eq!(
        repair("Blog Traffic Tip 2 вЂ“ Broadcast Email"),
        "Blog Traffic Tip 2 – Broadcast Email"
    );
}

#[test]
fn mojibake_twice_broken() {
    let text = "Don’t panic: the café’s crème brûlée is naïve.";
    let twice = misread(
        &misread(text, encoding_rs::WINDOWS_1252),
        encoding_rs::WINDOWS_1252,
    );
    assert_eq!(repair(&twice), text);
    let text = "Съешь же ещё этих булок";
    let twice = misread(
        &misread(text, encoding_rs::WINDOWS_1251),
        encoding_rs::WINDOWS_1252,
    );
    assert_eq!(repair(&twice), text);
}

#[test]
fn mojibake_in_one_line_and_not_the_next() {
    let good = "Déjà vu: l’été à Paris, naïve façade.";
    let text = format!(
        "{}\n{good}\n{}\n{good}\n",
        misread(good, encoding_rs::WINDOWS_1252),
        misread("Съешь же ещё этих булок", encoding_rs::WINDOWS_1251)
    );
    assert_eq!(
        repair(&text),
        format!("{good}\n{good}\nСъешь же ещё этих булок\n{good}\n")
    );
}

#[test]
fn every_repair_is_a_recorded_edit() {
    let cleaned = encoding_only().clean_text("doc", "cafÃ© and doesnâ€™t");
    let applied: Vec<_> = cleaned
        .records
        .iter()
        .filter(|r| r.status == Verdict::Applied)
        .collect();
    assert_eq!(applied.len(), 2);
    for record in applied {
        assert_eq!(record.stage, StageName::Encoding);
        assert_eq!(&*record.rule, "mojibake.utf8-as-cp1252.v1");
        assert_eq!(&*record.reason, "UTF-8 read as Windows-1252");
    }
}

// --- Entities and typography. ---------------------------------------------------------------

#[test]
fn html_entities_in_text_are_decoded() {
    assert_eq!(
        repair("Tom &amp; Jerry&#8217;s caf&eacute;&nbsp;&mdash; &quot;fun&quot;"),
        "Tom & Jerry’s café\u{A0}— \"fun\""
    );
    let markup = "<p>Tom &amp; Jerry</p>";
    assert_eq!(repair(markup), markup);
}

#[test]
fn typography_rules_are_off_by_default_and_can_be_switched_on() {
    let text = "“Curly” ‘quotes’, ｆｕｌｌ－ｗｉｄｔｈ，ﬁne";
    assert_eq!(repair(text), text);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("on.toml"),
        "stage = \"encoding\"\n\
         [[rule]]\nid = \"typography.uncurl-quotes.v1\"\nenabled = true\n\
         [[rule]]\nid = \"typography.fullwidth.v1\"\nenabled = true\n\
         [[rule]]\nid = \"typography.ligatures.v1\"\nenabled = true\n",
    )
    .unwrap();
    let rules = RuleSet::load(&[dir.path().to_path_buf()]).unwrap();
    let stages = StageSet::none().with(StageName::Encoding);
    let on = Cleaner::new(&rules, stages, Arc::default()).unwrap();
    assert_eq!(
        on.clean_text("doc", text).doc.text,
        "\"Curly\" 'quotes', full-width,fine"
    );
}

// --- Text that was fine stays byte-identical. -----------------------------------------------

const CONTROLS: &[&str] = &[
    "“Curly quotes” and ‘apostrophes’ — it’s fine… «guillemets» „Anführung“",
    "全角の句読点、括弧（ＡＢＣ）と「かぎ括弧」。中文：“引号”，《书名》！",
    "JOÃO SÃO PAULO NÃO; Ãgua? no: ÁGUA; C O N C L U S Ã O",
    "naïve café, mañana, Ελλάδα, Straße, Øresund, Łódź, Dvořák, İstanbul",
    "5 € or £35 or ¥500; 3 × 4 ÷ 2 = 6; ±5 %; 10 °C; x² ≤ y³; √π ≈ 1.77; ∑∞ ≠ 0; ½ ¼ ¾",
    "© 2024 Example® Brand™ § 12 ¶ 3 • item · dot",
    "Emoji 😀👍🏽❤️🇫🇷👨‍👩‍👧 and ✔ ☺ ♫",
    "Привет, как дела? Всё хорошо: Пётр и Ёлка. Україна, Київ, їжак, ґанок.",
    "한국어 텍스트, 日本語のテキスト, 中文文本, ภาษาไทย, العربية, עברית, हिन्दी",
    "NESTLÉ® requiere; ZZAJÉ’s list; SELKÄ\u{A0}EDELLÄ; HUHLL Õ…; 4288×…; SÓ…; É¿",
    "Bremer/Mccoy – Oslo; a radius of 10 Å—; AHÅ™; Connect with Āø; ( o¬ô )",
    "├──┤ │ a │ b │ ┌──┐ └──┘ ═══ ║ ╔╗╚╝ ░▒▓█",
    "Tom & Jerry, AT&T, R&D, &copy without semicolon, x &lt y",
    // One short pair beside fine non-ASCII text: as likely an oddity as mojibake (a suspect).
    "Bremer/Mccoy – DrÃ¥ber",
];

#[test]
fn controls_are_byte_identical() {
    for text in CONTROLS {
        let cleaned = encoding_only().clean_text("doc", text);
        assert_eq!(&cleaned.doc.text, text);
        assert!(
            cleaned.records.iter().all(|r| r.status != Verdict::Applied),
            "{text}: {:?}",
            cleaned.records
        );
        // And through every stage, nothing from the encoding stage.
        let all = cleaner().clean_text("doc", text);
        assert!(
            all.records
                .iter()
                .all(|r| r.stage != StageName::Encoding || r.status != Verdict::Applied),
            "{text}: {:?}",
            all.records
        );
    }
}

// --- Properties. ----------------------------------------------------------------------------

/// Alphabets of languages whose text goes through the Windows-1252, -1250 and -1251 mistakes.
const LATIN: &str = "abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿßñáíóúãõ";
const CENTRAL: &str = "abcdefghijklmnoprstuvwyząćęłńóśźżčďěňřšťůúýž";
const CYRILLIC: &str = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ";

/// Words of one alphabet, some capitalised, with punctuation; at least one non-ASCII letter
/// in every word so the text is worth breaking.
fn words(alphabet: &'static str) -> impl Strategy<Value = String> {
    let letters: Vec<char> = alphabet.chars().collect();
    let accented: Vec<char> = letters.iter().copied().filter(|c| !c.is_ascii()).collect();
    let word = (
        prop::collection::vec(prop::sample::select(letters), 1..8),
        prop::sample::select(accented),
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_map(|(mut chars, accent, at, capital)| {
            chars.insert(at.index(chars.len() + 1), accent);
            let mut word: String = chars.into_iter().collect();
            if capital && word.starts_with(|c: char| c.is_ascii()) {
                word[..1].make_ascii_uppercase();
            }
            word
        });
    (
        prop::collection::vec(word, 3..14),
        prop::sample::select(vec![" ", ", ", ". ", " — ", " “", "” ", "’"]),
    )
        .prop_map(|(words, sep)| words.join(sep))
}

/// Tokens of clean text that look odd to a naive detector: typography, currency, math, CJK
/// punctuation, emoji, Portuguese capitals.
const ODD_TOKENS: &[&str] = &[
    "“quoted”",
    "‘single’",
    "it’s",
    "—",
    "–",
    "…",
    "«",
    "»",
    "„ja“",
    "5 €",
    "£35",
    "¥500",
    "10 °C",
    "3 × 4",
    "±2",
    "½",
    "x²",
    "√π",
    "≤",
    "©",
    "®",
    "™",
    "§ 3",
    "•",
    "😀",
    "👍🏽",
    "❤️",
    "日本語。",
    "（テスト）",
    "「引用」",
    "中文，标点",
    "ＡＢＣ",
    "JOÃO",
    "SÃO",
    "NÃO",
];

/// Real words with non-ASCII letters, for clean text (random letter soup can spell mojibake:
/// "ěą”" is exactly what "칔" looks like through Windows-1250).
const REAL_WORDS: &[&str] = &[
    "café",
    "déjà",
    "naïve",
    "façade",
    "élève",
    "être",
    "où",
    "garçon",
    "crème",
    "brûlée",
    "Straße",
    "Ärger",
    "über",
    "Öl",
    "schön",
    "mañana",
    "niño",
    "años",
    "acción",
    "São",
    "não",
    "coração",
    "Łódź",
    "zażółć",
    "gęślą",
    "jaźń",
    "pięć",
    "příliš",
    "žluťoučký",
    "kůň",
    "ďábelské",
    "ódy",
    "Dvořák",
    "Øresund",
    "Åland",
    "İstanbul",
    "çok",
    "ğ",
    "Привет",
    "мир",
    "ещё",
    "Пётр",
    "Ёлка",
    "Україна",
    "їжак",
    "ґанок",
    "Ελλάδα",
    "λόγος",
    "μια",
    "χώρα",
];

fn clean_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        3 => prop::sample::select(REAL_WORDS).prop_map(str::to_owned),
        2 => prop::sample::select(ODD_TOKENS).prop_map(str::to_owned),
        2 => "[a-zA-Z]{1,8}",
    ];
    (
        prop::collection::vec(token, 1..14),
        prop::sample::select(vec![" ", ", ", ". ", " — ", "; "]),
    )
        .prop_map(|(tokens, sep)| tokens.join(sep))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn repairs_utf8_read_as_windows_1252(text in words(LATIN)) {
        prop_assert_eq!(repair(&misread(&text, encoding_rs::WINDOWS_1252)), text);
    }

    #[test]
    fn repairs_utf8_read_as_latin1(text in words(LATIN)) {
        prop_assert_eq!(repair(&latin1(&text)), text);
    }

    #[test]
    fn repairs_utf8_read_as_windows_1250(text in words(CENTRAL)) {
        prop_assert_eq!(repair(&misread(&text, encoding_rs::WINDOWS_1250)), text);
    }

    #[test]
    fn repairs_utf8_read_as_windows_1251(text in words(CYRILLIC)) {
        prop_assert_eq!(repair(&misread(&text, encoding_rs::WINDOWS_1251)), text);
    }

    #[test]
    fn repairs_text_broken_twice(text in words(LATIN)) {
        let twice = misread(&misread(&text, encoding_rs::WINDOWS_1252), encoding_rs::WINDOWS_1252);
        prop_assert_eq!(repair(&twice), text);
    }

    #[test]
    fn repairs_cyrillic_broken_through_windows_1251_then_1252(text in words(CYRILLIC)) {
        let twice = misread(&misread(&text, encoding_rs::WINDOWS_1251), encoding_rs::WINDOWS_1252);
        prop_assert_eq!(repair(&twice), text);
    }

    #[test]
    fn repairs_broken_lines_and_keeps_fine_ones(
        lines in prop::collection::vec((words(LATIN), any::<bool>()), 1..6),
    ) {
        // Some lines broken, the others fine, in one document.
        let broken: Vec<String> = lines
            .iter()
            .map(|(line, bad)| if *bad { misread(line, encoding_rs::WINDOWS_1252) } else { line.clone() })
            .collect();
        let text: Vec<&str> = lines.iter().map(|(line, _)| line.as_str()).collect();
        prop_assert_eq!(repair(&broken.join("\n")), text.join("\n"));
    }

    #[test]
    fn leaves_clean_text_alone(text in clean_text()) {
        prop_assert_eq!(repair(&text), text);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let text = repair_bytes(bytes);
        prop_assert_eq!(repair(&text), text);
    }
}

// --- Throughput (not a test: `python3 bench/encoding/speed.py` runs it). ------------------

fn read_dir(dir: &std::path::Path) -> Vec<Vec<u8>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

/// CPU seconds the calling thread has used so far: the machine may be shared, and time
/// other processes take from this one must not count against the stage.
fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant the kernel knows.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

/// CPU seconds for the fastest of three passes of `f` over `docs`, each on a fresh thread (so
/// nothing a pass leaves in thread-local caches helps the next one).
fn best_of_three(docs: &[Vec<u8>], f: impl Fn(&[u8]) -> usize + Sync) -> f64 {
    (0..3)
        .map(|_| {
            std::thread::scope(|scope| {
                scope
                    .spawn(|| {
                        let start = thread_cpu_seconds();
                        let mut sink = 0;
                        for doc in docs {
                            sink += f(doc);
                        }
                        std::hint::black_box(sink);
                        thread_cpu_seconds() - start
                    })
                    .join()
                    .unwrap()
            })
        })
        .fold(f64::INFINITY, f64::min)
}

/// The encoding stage in process (decode, entities, mojibake, no I/O) over
/// $UNSCRAPE_SPEED_DIR/{clean,broken}, on one thread, against a memchr scan of the same bytes;
/// MB per CPU second of that thread.
#[test]
#[ignore]
fn throughput() {
    let Ok(dir) = std::env::var("UNSCRAPE_SPEED_DIR") else {
        eprintln!("set UNSCRAPE_SPEED_DIR");
        return;
    };
    let dir = std::path::Path::new(&dir);
    let clean = read_dir(&dir.join("clean"));
    let broken = read_dir(&dir.join("broken"));
    let stage = |doc: &[u8]| {
        encoding_only()
            .clean_bytes("d", Origin::Memory, doc.to_vec())
            .records
            .len()
    };
    let scan = |doc: &[u8]| memchr::memchr_iter(b'\n', doc).count();
    let mb = |docs: &[Vec<u8>]| docs.iter().map(Vec::len).sum::<usize>() as f64 / 1e6;
    let all: Vec<Vec<u8>> = clean.iter().chain(&broken).cloned().collect();
    for (name, docs) in [("clean", &clean), ("broken", &broken), ("all", &all)] {
        let stage_s = best_of_three(docs, stage);
        let scan_s = best_of_three(docs, scan);
        println!(
            "{name:6} {:7.1} MB  encoding stage {:8.1} MB/s  memchr scan {:8.1} MB/s",
            mb(docs),
            mb(docs) / stage_s,
            mb(docs) / scan_s
        );
    }
}

/// Polish letters that spell a CJK character's UTF-8 bytes in Windows-1250 stay Polish: a
/// repair through that code page never invents Han (found by the property test below).
#[test]
fn central_european_repairs_never_invent_cjk() {
    for text in ["ćšąćą” ąa” ąa", "ćą” ćšł” ąa"] {
        assert_eq!(repair(&misread(text, encoding_rs::WINDOWS_1250)), text);
        assert_eq!(repair(text), text);
    }
}
