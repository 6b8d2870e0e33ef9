use super::*;
use crate::edit::apply;

fn step() -> &'static Mojibake {
    static STEP: std::sync::OnceLock<Mojibake> = std::sync::OnceLock::new();
    STEP.get_or_init(|| Mojibake::new(&RuleSet::defaults().unwrap()).unwrap())
}

fn edits(text: &str) -> Vec<Edit> {
    step().edits(&Document::from_text("t", text), &CorpusStats::default())
}

fn repair(text: &str) -> String {
    let mut records = Vec::new();
    apply(text, edits(text), &mut records).unwrap_or_else(|| text.to_owned())
}

/// UTF-8 bytes of `s` read with a single-byte `encoding` (the mistake being repaired).
fn misread(s: &str, encoding: &'static encoding_rs::Encoding) -> String {
    encoding
        .decode_without_bom_handling(s.as_bytes())
        .0
        .into_owned()
}

/// UTF-8 bytes read as Latin-1: every byte is the code point of the same number.
fn latin1(s: &str) -> String {
    s.bytes().map(char::from).collect()
}

#[test]
fn utf8_read_as_windows_1252() {
    assert_eq!(repair("OpenAIâ€™s model"), "OpenAI’s model");
    assert_eq!(repair("cafÃ© crÃ¨me brÃ»lÃ©e"), "café crème brûlée");
    assert_eq!(
        repair(&misread(
            "Straße, Ärger, Öl, “Zitat” — ende…",
            encoding_rs::WINDOWS_1252
        )),
        "Straße, Ärger, Öl, “Zitat” — ende…"
    );
    let rules: Vec<String> = edits("cafÃ©").iter().map(|e| e.rule.to_string()).collect();
    assert_eq!(rules, ["mojibake.utf8-as-cp1252.v1"]);
}

#[test]
fn utf8_read_as_sloppy_windows_1252_and_latin1() {
    // Bytes Windows-1252 leaves undefined come through as C1 controls ("sloppy" decoders).
    assert_eq!(repair("Ã\u{8d}ndice"), "Índice");
    // Latin-1: every byte 0x80–0x9F is a C1 control.
    let broken = latin1("l’été “chaud”");
    assert_eq!(repair(&broken), "l’été “chaud”");
    assert!(edits(&broken)
        .iter()
        .all(|e| &*e.rule == "mojibake.utf8-as-latin1.v1"));
}

#[test]
fn utf8_read_as_central_european_and_cyrillic_charsets() {
    for (text, encoding, rule) in [
        (
            "Zażółć gęślą jaźń",
            encoding_rs::WINDOWS_1250,
            "mojibake.utf8-as-cp1250.v1",
        ),
        (
            "Příliš žluťoučký kůň",
            encoding_rs::WINDOWS_1250,
            "mojibake.utf8-as-cp1250.v1",
        ),
        (
            "Съешь же ещё этих мягких булок",
            encoding_rs::WINDOWS_1251,
            "mojibake.utf8-as-cp1251.v1",
        ),
        (
            "Привіт, як справи?",
            encoding_rs::WINDOWS_1251,
            "mojibake.utf8-as-cp1251.v1",
        ),
        (
            "Привет, мир",
            encoding_rs::WINDOWS_1250,
            "mojibake.utf8-as-cp1250.v1",
        ),
    ] {
        let broken = misread(text, encoding);
        assert_eq!(repair(&broken), text, "{broken}");
        assert!(edits(&broken).iter().any(|e| &*e.rule == rule), "{broken}");
    }
}

#[test]
fn text_broken_twice_or_three_times() {
    let twice = misread(
        &misread("naïve “café”", encoding_rs::WINDOWS_1252),
        encoding_rs::WINDOWS_1252,
    );
    assert_eq!(repair(&twice), "naïve “café”");
    assert_eq!(
        repair("The Mona Lisa doesnÃƒÂ¢Ã¢â€šÂ¬Ã¢â€žÂ¢t have eyebrows."),
        "The Mona Lisa doesn’t have eyebrows."
    );
    // Windows-1252, then Windows-1251.
    assert_eq!(repair("a Г‚ВЈ5.8bn rights issue"), "a £5.8bn rights issue");
    let reason = &edits(&twice)[0].reason;
    assert!(reason.contains("2 times"), "{reason}");
}

#[test]
fn mixed_lines_and_mixed_words() {
    let text = "Le cafÃ© est fermé.\nLe café est fermé.\nl’Ã©tÃ© et l’été\n";
    assert_eq!(
        repair(text),
        "Le café est fermé.\nLe café est fermé.\nl’été et l’été\n"
    );
}

#[test]
fn lone_c1_controls_read_as_windows_1252() {
    assert_eq!(repair("parlé\u{85} Tu sais"), "parlé… Tu sais");
    assert_eq!(repair("\u{93}quoted\u{94}"), "“quoted”");
    // 0x81 means nothing in Windows-1252: left for normalize.
    assert_eq!(repair("odd \u{81} byte"), "odd \u{81} byte");
}

#[test]
fn lost_bytes_and_lost_no_break_spaces() {
    assert_eq!(repair("â€œlossy decodingâ€�"), "“lossy decoding�");
    assert_eq!(repair("voilÃ le travail"), "voilà le travail");
    assert_eq!(
        repair("com especial atenÃ§Ã£o Ã s crianÃ§as"),
        "com especial atenção às crianças"
    );
    assert_eq!(repair("C O N C L U S Ã O"), "C O N C L U S Ã O");
}

#[test]
fn cesu8_emoji() {
    assert_eq!(repair("Hi guys í\u{a0}½í¸\u{8d}"), "Hi guys 😍");
}

#[test]
fn legitimate_text_stays_byte_identical() {
    for text in [
        "JOÃO SÃO PAULO, NÃO",
        "naïve café, mañana, Ελλάδα, Straße",
        "“Curly quotes” and ‘single’ ones — with dashes…",
        "Prix : 5 € ; 3 × 4 = 12 ; ±5 % ; 10 °C ; x² + y² ≤ r²; √π ≈ 1.77",
        "£35 ¥500 ¢10 © 2024 ® ™ § ¶",
        "日本語のテキスト、全角：「ＡＢＣ」（テスト）。",
        "中文标点，“引号”；《书名》",
        "한국어 텍스트입니다.",
        "Emoji: 😀 👍🏽 ❤️ 🇫🇷 👨‍👩‍👧",
        "Привет, как дела? Всё хорошо. Пётр и Ёлка.",
        "Zażółć gęślą jaźń — Příliš žluťoučký kůň.",
        "NESTLÉ® requiere personal; ZZAJÉ’s fan list; SELKÄ\u{a0}EDELLÄ",
        "Bremer/Mccoy – Oslo; HUHLL Õ…; 4288×…; TEM QUE SEGUIR, SDV SÓ…",
        "├┤a┼┐a┼┐a  ┌──┐ │ok│ └──┘",
        "Con il corpo e lo spirito ammaccato,\u{a0}è come se",
        "ŉ Chloroplas; ǌ; Ĳssel",
    ] {
        assert_eq!(repair(text), text);
    }
}

#[test]
fn every_repair_is_an_edit_with_rule_and_reason() {
    let all = edits("cafÃ© and doesnâ€™t and Ð¿Ñ€Ð¸Ð²ÐµÑ‚");
    assert_eq!(all.len(), 3);
    for edit in all {
        assert_eq!(edit.stage, StageName::Encoding);
        assert_eq!(&*edit.rule, "mojibake.utf8-as-cp1252.v1");
        assert_eq!(&*edit.reason, "UTF-8 read as Windows-1252");
        assert_eq!(edit.verdict, Verdict::Applied);
    }
}

#[test]
fn a_charset_switched_off_is_not_used() {
    let mut files: Vec<(String, String)> = crate::rules::EMBEDDED
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    files.push((
        "off.toml".to_owned(),
        "stage = \"encoding\"\n[[rule]]\nid = \"mojibake.utf8-as-cp1251.v1\"\nenabled = false\n"
            .to_owned(),
    ));
    let step = Mojibake::new(&RuleSet::from_sources(&files).unwrap()).unwrap();
    let broken = misread("Съешь же ещё этих", encoding_rs::WINDOWS_1251);
    let doc = Document::from_text("t", &broken);
    assert!(step
        .edits(&doc, &CorpusStats::default())
        .iter()
        .all(|e| e.verdict == Verdict::Suspect || &*e.rule != "mojibake.utf8-as-cp1251.v1"));
}

#[test]
fn a_lone_pair_amid_fine_text_needs_support() {
    // One short pair beside a fine en dash (one of ftfy's negative cases): as likely an
    // oddity as mojibake, so only a suspect.
    let text = "Bremer/Mccoy – DrÃ¥ber";
    assert_eq!(repair(text), text);
    let found = edits(text);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].verdict, Verdict::Suspect);
    assert_eq!(found[0].replacement, "å");
    // The same pair with nothing fine beside it, or with a sure repair through the same
    // charset elsewhere in the document, is repaired.
    assert_eq!(repair("DrÃ¥ber"), "Dråber");
    assert_eq!(
        repair("Bremer/Mccoy – DrÃ¥ber\nThe cafÃ©â€™s menu"),
        "Bremer/Mccoy – Dråber\nThe café’s menu"
    );
    // A longer sequence is specific enough on its own.
    assert_eq!(repair("Bremer/Mccoy – itâ€™s"), "Bremer/Mccoy – it’s");
}
