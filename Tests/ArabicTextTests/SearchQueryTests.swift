import Testing
@testable import ArabicText

@Suite struct SearchQueryTests {
    let analyzer = ArabicAnalyzer()

    private func expressions(_ text: String) throws(InvalidQuery) -> (strict: String, relaxed: String?) {
        let matches = try SearchQuery(parsing: text).matchExpressions(analyzer: analyzer)
        return (matches.strict.expression, matches.relaxed?.expression)
    }

    /// The phrases' roles as the store hands them to the ranking function, without counts.
    private func roles(_ match: SearchQuery.Match) -> String {
        match.phrases.map(\.role).joined(separator: " ")
    }

    /// The ranking function reads one role per phrase, in the order FTS5 numbers them.
    @Test func everyPhraseHasARole() throws {
        let matches = try SearchQuery(parsing: "title:ليبيا الحسن \"عبد الله\" -مصر").matchExpressions(analyzer: analyzer)
        #expect(matches.strict.expression == ##"({title} : (("ليبيا" OR "#ليبيا")) AND ("الحسن" OR "حسن" OR "وحسن" OR "والحسن" OR "بالحسن" OR "للحسن" OR "#حسن" OR "#الحسن") AND "عبد الله") NOT (("مصر" OR "#مصر"))"##)
        #expect(roles(matches.strict) == "E0 S0 E1 E1 E1 E1 E1 E1 S1 S1 E2 E3 S3")
        let relaxed = try #require(matches.relaxed)
        let phrases = relaxed.expression.split(separator: "\"", omittingEmptySubsequences: false).count / 2
        #expect(roles(relaxed).split(separator: " ").count == phrases)
    }

    /// A snippet marks the phrases of the words searched for, by their terms as the index has them;
    /// not those of a field filter or an exclusion.
    @Test func phrasesSayWhatASnippetMarks() throws {
        let match = try SearchQuery(parsing: "title:ليبيا الحسن \"عبد الله\" طرابل* -مصر").matchExpressions(analyzer: analyzer).strict
        let marked = match.phrases.filter(\.isMarked)
        #expect(Set(marked.map(\.clause)) == [1, 2, 3])
        #expect(marked.contains { $0.terms.terms == ["#حسن"] && !$0.terms.isPrefix })
        #expect(marked.contains { $0.terms.terms == ["عبد", "الله"] })
        #expect(marked.contains { $0.terms.terms == ["طرابل"] && $0.terms.isPrefix })
        #expect(!match.phrases.filter { !$0.isMarked }.map(\.terms.terms).joined().contains("الحسن"))
        let quoted = SearchQuery.Phrase(text: #""a""b c"*"#, clause: 0, isExact: true, isMarked: true)
        #expect(quoted.terms.terms == [#"a"b"#, "c"] && quoted.terms.isPrefix)
    }

    /// A word matches itself with or without a common proclitic (its exact forms, ranked as the word
    /// itself), any word with its stem, and the other readings of its affixes.
    @Test func plainWordsMatchExactFormOrStem() throws {
        let (strict, relaxed) = try expressions("الحسن ليبيا")
        #expect(strict == ##"(("الحسن" OR "حسن" OR "وحسن" OR "والحسن" OR "بالحسن" OR "للحسن" OR "#حسن" OR "#الحسن") AND ("ليبيا" OR "وليبيا" OR "بليبيا" OR "الليبيا" OR "والليبيا" OR "بالليبيا" OR "للليبيا" OR "#ليبيا" OR "#يبيا" OR "#فليبيا" OR "فليبيا"))"##)
        #expect(relaxed == ##"((("الحسن" OR "حسن" OR "وحسن" OR "والحسن" OR "بالحسن" OR "للحسن" OR "#حسن" OR "#الحسن") OR ("ليبيا" OR "وليبيا" OR "بليبيا" OR "الليبيا" OR "والليبيا" OR "بالليبيا" OR "للليبيا" OR "#ليبيا" OR "#يبيا" OR "#فليبيا" OR "فليبيا")))"##)
    }

    /// Doc and query in different inflections meet in one of the query's alternatives.
    @Test(arguments: [
        ("الوحوش", "وحوش"), ("وحوش", "الوحوش"), ("الوجبة", "وجبة"), ("وجبة", "الوجبة"), ("الكولاجين", "كولاجين"),
        ("بمصر", "مصر"), ("لمصرها", "مصر"), ("مصر", "بمصر"), ("بمشاركة", "مشاركات"), ("وبالمشاركة", "مشاركة"),
        ("قلم", "بقلم"), ("عدل", "فعدل"), ("لليبيا", "ليبيا"), ("كوحدة", "وحدة"), ("بزخات", "زخات"),
        ("والإلكترونية", "إلكترونية"), ("الإلغاء", "إلغاء"), ("الإلكترونية", "وإلكترونية"),
    ])
    func inflectedQueryMatchesDocumentTerms(document: String, query: String) throws {
        let documentTerms = Set(analyzer.terms(in: document, mode: .document).map(\.term))
        let strict = try expressions(query).strict
        let quoted = strict.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
        #expect(quoted.contains(where: documentTerms.contains), "\(strict) vs \(documentTerms)")
    }

    @Test func exclusionsAndFieldsGetNoInflections() throws {
        let strict = try expressions("مصر -قطر author:سبق").strict
        #expect(strict.contains(##"{author} : (("سبق" OR "#سبق"))"##))
        #expect(strict.hasSuffix(##"NOT (("قطر" OR "#قطر"))"##))
        #expect(strict.contains(##""بمصر""##))
    }

    @Test func oneWordHasNoRelaxedForm() throws {
        #expect(try expressions("ليبيا").relaxed == nil)
    }

    @Test func queriesAreNormalizedLikeDocuments() throws {
        #expect(try expressions("الأمريكية") == expressions("الاميركيه"))
        #expect(try expressions("تعثّرت") == expressions("تعثرت"))
    }

    @Test func phraseMatchesExactFormsInOrder() throws {
        #expect(try expressions("\"عبد الرازق الناظوري\"").strict == ##"("عبد الرازق الناظوري")"##)
        #expect(try expressions("«عبد الرازق»").strict == ##"("عبد الرازق")"##)
    }

    @Test func joinedCompoundSearchesAsAPhrase() throws {
        #expect(try expressions("عبدالرازق").strict == ##"("عبد الرازق")"##)
    }

    @Test func prefixSearch() throws {
        #expect(try expressions("الناظو*").strict == ##"("الناظو"*)"##)
    }

    @Test func exclusionsApplyToStrictAndRelaxed() throws {
        let (strict, relaxed) = try expressions("ليبيا مصر -حفتر")
        #expect(strict.hasSuffix(##" NOT (("حفتر" OR "#حفتر"))"##))
        #expect(relaxed?.hasSuffix(##" NOT (("حفتر" OR "#حفتر"))"##) == true)
    }

    @Test func fieldFiltersBecomeColumnFiltersAndStayRequired() throws {
        let (strict, relaxed) = try expressions("outlet:okaz Title:\"وزير الخارجية\" ليبيا مصر -author:سبق")
        #expect(strict.contains(##"{outlet} : (("okaz" OR "#okaz"))"##))
        #expect(strict.contains(##"{title} : ("وزير الخارجيه")"##))
        #expect(strict.hasSuffix(##"NOT ({author} : (("سبق" OR "#سبق")))"##))
        #expect(relaxed?.hasPrefix(##"({outlet} : (("okaz" OR "#okaz")) AND {title}"##) == true)
    }

    @Test func unknownFieldIsJustText() throws {
        #expect(try expressions("foo:ليبيا").strict == ##"("foo ليبيا")"##)
    }

    @Test func stopwordsAreDroppedUnlessTheyAreAllThereIs() throws {
        #expect(try expressions("في ليبيا").strict == ##"(("ليبيا" OR "وليبيا" OR "بليبيا" OR "الليبيا" OR "والليبيا" OR "بالليبيا" OR "للليبيا" OR "#ليبيا" OR "#يبيا" OR "#فليبيا" OR "فليبيا"))"##)
        #expect(try expressions("على ليبيا من مصر").relaxed?.contains("على") == false)
        #expect(try expressions("من في").strict.contains(##""من""##))
        #expect(try expressions("\"في ليبيا\"").strict == ##"("في ليبيا")"##)
    }

    @Test func usersCannotWriteStemTerms() throws {
        #expect(try expressions("#ليبيا").strict == expressions("ليبيا").strict)
    }

    @Test(arguments: [
        ("", "no words"), ("   ", "no words"), ("!!! ??? ()", "no searchable words"), ("😀 🇱🇾", "no searchable words"),
        ("-ليبيا", "only excludes"), ("-ليبيا -\"عبد الله\"", "only excludes"), ("\u{0}", "no searchable words"),
    ])
    func invalidQueriesExplainWhy(text: String, reason: String) {
        #expect {
            _ = try SearchQuery(parsing: text).matchExpressions(analyzer: analyzer)
        } throws: { error in
            (error as? InvalidQuery)?.reason.contains(reason) == true
        }
    }

    @Test func tooLongQueriesAreRefusedClearly() {
        let long = String(repeating: "ليبيا ", count: 2000)
        #expect(throws: InvalidQuery.self) { try SearchQuery(parsing: long) }
        let manyWords = String(repeating: "ا ", count: 200)
        #expect(throws: InvalidQuery.self) { try SearchQuery(parsing: manyWords) }
    }

    @Test(arguments: [
        "\"", "\"\"", "\"\"\"", "(", ")", "((ليبيا", "ليبيا)", ":", "title:", "title:\"", "-", "--", "- -", "+ليبيا",
        "*", "**", "ليبيا*" + "*", "\"ليبيا\"*", "a\"b", "NOT", "ليبيا AND", "OR OR", "NEAR(a b)", "{title}: ليبيا",
        "^ليبيا", "ليبيا\u{0}مصر", "col:\"x\" -\"\"", "'; DROP TABLE articles; --", "مصر\"اته", "«ليبيا", "“ليبيا”",
        "\u{202E}ليبيا\u{202C}", "ﷺ", "العربية English 中文 😀", "#", "-#حسن ليبيا", "outlet:-x y", "title:title:ليبيا",
    ])
    func hostileInputNeverBreaksFTS5Syntax(text: String) {
        do {
            let (strict, relaxed) = try expressions(text)
            #expect(FTS5ExpressionValidator.isValid(strict), "\(text) → \(strict)")
            if let relaxed { #expect(FTS5ExpressionValidator.isValid(relaxed), "\(text) → \(relaxed)") }
        } catch {
            #expect(!error.reason.isEmpty)
        }
    }

    @Test func randomInputNeverBreaksFTS5Syntax() {
        let alphabet = Array("\"'()*-+:{}^ ل ي ب ا م ص ر title:outlet:author: NOT AND OR «»“”#\u{0}\u{200F}😀a".unicodeScalars)
        var generator = SplitMix64(seed: 3)
        for _ in 0..<3000 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...30, using: &generator) {
                scalars.append(alphabet.randomElement(using: &generator)!)
            }
            let text = String(scalars)
            do {
                let matches = try SearchQuery(parsing: text).matchExpressions(analyzer: analyzer)
                for match in [matches.strict] + (matches.relaxed.map { [$0] } ?? []) {
                    #expect(FTS5ExpressionValidator.isValid(match.expression), "\(text) → \(match.expression)")
                    // Leaving out phrases no article has keeps it valid too, whichever they are.
                    let (pruned, kept) = match.pruned { _ in Bool.random(using: &generator) }
                    #expect(FTS5ExpressionValidator.isValid(pruned.expression), "\(text) → \(pruned.expression)")
                    #expect(pruned.phrases == kept.map { match.phrases[$0] })
                }
            } catch {
                #expect(!error.reason.isEmpty)
            }
        }
    }

    /// Pruning drops only alternatives of an OR: each word keeps a phrase, and an AND-ed or excluded
    /// clause of one phrase stays.
    @Test func pruningKeepsEveryClause() throws {
        let match = try SearchQuery(parsing: "الحسن \"عبد الله\" -مصر").matchExpressions(analyzer: analyzer).strict
        let (pruned, kept) = match.pruned { _ in true }
        #expect(pruned.expression == ##"(("#الحسن") AND "عبد الله") NOT (("#مصر"))"##)
        #expect(kept.count == 3)
        #expect(roles(pruned) == "S0 E1 S2")
        #expect(match.pruned { _ in false }.match == match)
    }

    @Test func theValidatorRejectsBrokenExpressions() {
        for broken in ["(\"a\"", "\"a", "\"a\" AND", "{nope} : \"a\"", "\"\"", "AND \"a\"", "\"a\" \"b\"", "()"] {
            #expect(!FTS5ExpressionValidator.isValid(broken), "\(broken)")
        }
        #expect(FTS5ExpressionValidator.isValid(##"({title} : ("a" OR "#b")) NOT ("c"*)"##))
    }
}

/// A small seeded generator so the random test is reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
