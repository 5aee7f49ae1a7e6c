import Testing

@testable import ArabicText

@Suite struct NormalizationTests {
    let analyzer = ArabicAnalyzer()

    /// Lucene's ArabicNormalizationFilter test vectors.
    @Test(arguments: [
        ("آجن", "اجن"), ("أحمد", "احمد"), ("إعاذ", "اعاذ"), ("بنى", "بني"), ("فاطمة", "فاطمه"),
        ("روبرـــــت", "روبرت"), ("مَبنا", "مبنا"), ("علِي", "علي"), ("بُوات", "بوات"), ("ولداً", "ولدا"),
        ("ولدٍ", "ولد"), ("ولدٌ", "ولد"), ("نلْسون", "نلسون"), ("هتميّ", "هتمي"),
    ])
    func luceneVector(input: String, expected: String) {
        #expect(analyzer.normalize(input) == expected)
        #expect(analyzer.terms(in: input, mode: .query).map(\.term) == [expected])
    }

    /// The other normalization rules.
    @Test(arguments: [
        ("ٱلكتاب", "الكتاب"),  // alef wasla
        ("مسؤول", "مسوول"),  // ؤ → و
        ("رئيس", "رييس"),  // ئ → ي
        ("کتاب", "كتاب"),  // Persian kaf
        ("علی", "علي"),  // Farsi yeh
        ("٢٠٢٥", "2025"),  // Arabic-Indic digits
        ("۲۰۲۵", "2025"),  // Extended Arabic-Indic digits
        ("ﻻ", "لا"),  // lam-alef ligature
        ("ﻷ", "لا"),  // lam-alef with hamza ligature
        ("ﺍﻟﺴﻼﻡ", "السلام"),  // presentation forms
        ("ﷲ", "الله"),  // Allah ligature
        ("الْقُرْآنُ", "القران"),  // harakat and madda
        ("رَحْمَٰن", "رحمن"),  // superscript alef
        ("قُرْءَانٌۚ", "قرءان"),  // Quranic annotation mark
        ("ليبيا\u{200F}", "ليبيا"),  // RLM
        ("ل\u{200C}يبيا", "ليبيا"),  // ZWNJ inside a word
        ("Café", "cafe"),  // Latin case and accents
        ("ÉLYSÉE", "elysee"),
        ("Łódź", "lodz"),
        ("ＡＢＣ", "abc"),  // fullwidth
    ])
    func issueRule(input: String, expected: String) {
        #expect(analyzer.normalize(input) == expected)
    }

    @Test func everyInvisibleControlIsRemovedWithoutSplitting() {
        let controls: [Unicode.Scalar] = [
            "\u{200D}", "\u{200C}", "\u{200B}", "\u{2060}", "\u{200E}", "\u{200F}", "\u{061C}", "\u{FEFF}",
            "\u{00AD}", "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}", "\u{2066}", "\u{2067}",
            "\u{2068}", "\u{2069}",
        ]
        for control in controls {
            let text = "مصر" + String(control) + "اته"
            #expect(
                analyzer.terms(in: text, mode: .query).map(\.term) == ["مصراته"],
                "U+\(String(control.value, radix: 16))")
        }
    }

    @Test func normalizationIsIdempotent() {
        for word in ["الأميركية", "ﺍﻟﺴﻼﻡ", "قُرْءَانٌ", "إعاذ", "Café"] {
            let once = analyzer.normalize(word)
            #expect(analyzer.normalize(once) == once)
        }
    }
}
