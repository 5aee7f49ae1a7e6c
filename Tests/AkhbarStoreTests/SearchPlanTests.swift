import ArabicText
import Testing

@testable import AkhbarStore

/// The one place a parsed query becomes FTS5: each tier's expression, its phrases in FTS5's order,
/// and what pruning does.
@Suite struct SearchPlanTests {
    let analyzer = ArabicAnalyzer()

    private func plan(_ text: String) throws -> SearchPlan {
        try SearchPlan(Query(parsing: text, analyzer: analyzer))
    }

    private func expression(_ text: String, _ tier: SearchPlan.Tier = .strict, counts: [String: Int64]? = nil) throws
        -> String?
    {
        try plan(text).compile(tier, counts: counts)?.expression
    }

    /// The phrases listed are the phrases written, in order, for every tier: what ranking reads is what
    /// FTS5 numbers.
    @Test(arguments: [
        "title:ليبيا الحسن \"عبد الله\" -مصر", "(طرابلس OR مصراتة) AND (\"المجلس الرئاسي\" NEAR/5 الجيش) -رياضة",
        "NEAR(الجيش بنغازي, 3) outlet:الوسط", "\"الجيش الليبي\"~4 OR طرابلس*", "a b c d e f g h i j",
    ])
    func phrasesAreListedInTheOrderWritten(text: String) throws {
        for tier in SearchPlan.Tier.allCases {
            guard let match = try plan(text).compile(tier, counts: nil) else { continue }
            let written = match.expression.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) }
            #expect(written == match.phrases.map { $0.terms.joined(separator: " ") }, "\(tier): \(match.expression)")
            #expect(FTS5ExpressionValidator.isValid(match.expression), "\(match.expression)")
            #expect(match.phrases.allSatisfy { $0.clause < match.clauseCount })
        }
    }

    @Test func aWordMatchesItsExactFormsThenItsOtherForms() throws {
        let match = try #require(try plan("الحسن").compile(.strict, counts: nil))
        let exact = match.phrases.filter(\.isExact).map { $0.terms[0] }
        #expect(exact.first == "الحسن")
        #expect(exact.contains("بالحسن"))
        #expect(match.phrases.contains { !$0.isExact && $0.terms == ["#حسن"] })
        #expect(Set(match.phrases.map(\.clause)) == [0])
    }

    @Test func theLiteralTierHasOnlyTheTypedForms() throws {
        #expect(try expression("الحسن ليبيا", .literal) == ##"("الحسن" AND "ليبيا")"##)
        // Phrases, prefixes, fields and exclusions are as in the strict tier.
        #expect(
            try expression("الحسن \"عبد الله\" -مصر", .literal)
                == ##"(("الحسن" AND "عبد الله") NOT (("مصر" OR "#مصر")))"##)
        #expect(try expression("\"عبد الله\"", .literal) == nil, "nothing typed has other forms")
        #expect(try expression("في", .literal) == nil, "not ranked")
    }

    @Test func exclusionsAndFieldsGetNoInflections() throws {
        let strict = try #require(try expression("مصر -قطر author:سبق"))
        #expect(strict.contains(##"{author} : ("سبق" OR "#سبق")"##))
        #expect(strict.hasSuffix(##"NOT (("قطر" OR "#قطر")))"##))
        #expect(strict.contains(##""بمصر""##))
    }

    @Test func theRelaxedTierNeedsAllWordsButOne() throws {
        #expect(try expression("ليبيا", .relaxed) == nil)
        let relaxed = try #require(try plan("طرابلس مصراتة سرت -حفتر outlet:الوسط").compile(.relaxed, counts: nil))
        #expect(relaxed.isRelaxed)
        #expect(relaxed.expression.hasPrefix("(({outlet} : "))
        #expect(relaxed.expression.hasSuffix(##"NOT (("حفتر" OR "#حفتر")))"##))
        #expect(relaxed.expression.components(separatedBy: " AND ").count > 3, "each pair of the three words")
    }

    @Test func queriesAreNormalizedLikeDocuments() throws {
        #expect(try expression("الأمريكية") == expression("الاميركيه"))
        #expect(try expression("تعثّرت") == expression("تعثرت"))
        #expect(try expression("#ليبيا") == expression("ليبيا"), "users cannot write stem terms")
    }

    @Test func phrasesPrefixesAndCompoundsMatchExactForms() throws {
        #expect(try expression("\"عبد الرازق الناظوري\"") == ##""عبد الرازق الناظوري""##)
        #expect(try expression("«عبد الرازق»") == ##""عبد الرازق""##)
        #expect(try expression("عبدالرازق") == ##""عبد الرازق""##)
        #expect(try expression("الناظو*") == ##""الناظو"*"##)
    }

    @Test func stopwordsAreDroppedUnlessTheyAreAllThereIs() throws {
        #expect(try expression("في ليبيا")?.contains("\"في\"") == false)
        #expect(try plan("في ليبيا").isRanked)
        #expect(try expression("من في")?.contains(##""من""##) == true)
        #expect(try plan("من في").isRanked == false)
        #expect(try expression("\"في ليبيا\"") == ##""في ليبيا""##)
    }

    /// A proximity condition is one NEAR group per combination of its members' forms: FTS5 takes
    /// phrases in a group, not alternatives. Each member keeps its forms.
    @Test func nearExpandsToGroupsOfForms() throws {
        let counts: [String: Int64] = [#""الجيش""#: 5, ##""#جيش""##: 9, #""بنغازي""#: 3]
        let match = try #require(try plan("NEAR(الجيش بنغازي, 4)").compile(.strict, counts: counts))
        #expect(match.expression == ##"(NEAR("الجيش" "بنغازي", 4) OR NEAR("#جيش" "بنغازي", 4))"##)
        #expect(match.phrases.map(\.clause) == [0, 1, 0, 1])
        #expect(match.phrases.map(\.isExact) == [true, true, false, true])
        let many = try #require(try plan("NEAR(الحسن ليبيا مصر, 4)").compile(.strict, counts: nil))
        #expect(many.expression.components(separatedBy: "NEAR(").count - 1 <= SearchPlan.maximumNearGroups)
    }

    /// Forms that no article has are left out; a required word left with none empties the tier, an
    /// alternative or an exclusion left with none disappears.
    @Test func pruningKeepsTheMeaning() throws {
        let counts: [String: Int64] = [##""#حسن""##: 4, #""عبد الله""#: 2, ##""#مصر""##: 1, #""طرابلس""#: 7]
        #expect(
            try expression("الحسن \"عبد الله\" -مصر", counts: counts) == ##"(("#حسن" AND "عبد الله") NOT ("#مصر"))"##)
        #expect(try expression("الحسن سرت", counts: counts) == nil)
        #expect(try expression("طرابلس OR سرت", counts: counts) == ##""طرابلس""##)
        #expect(try expression("طرابلس -سرت", counts: counts) == ##""طرابلس""##)
        let expected = try #require(try plan("الحسن طرابلس").compile(.strict, counts: counts)?.expectedMatches)
        #expect(expected == 4, "the rarer required word")
    }

    @Test func datesAndPlacesBecomeFiltersNotText() throws {
        let plan = try plan("طرابلس date:2015-07 -place:سرت")
        #expect(
            plan.filters == [
                .date(DateRange(first: "2015-07-01", last: "2015-07-31"), negated: false),
                .place(QueryPlace(typed: "سرت", normalized: "سرت"), negated: true),
            ])
        #expect(try self.plan("date:2015").text == nil)
        #expect(throws: InvalidQuery.self) { try self.plan("-date:2015") }
    }

    @Test func randomQueriesCompileToValidFTS5() throws {
        let tokens = [
            "ليبيا", "مصر", "الحسن", "\"عبد الله\"", "في", "OR", "AND", "NOT", "-", "(", ")", "NEAR(", ",", "3", "/",
            "NEAR/2",
            "~2", "title:", "outlet:", "*", "«", "»", "date:2015", "place:سرت", "#", "\u{0}", "😀", "a",
        ]
        var random = RandomQueryText(tokens: tokens, seed: 11)
        var compiled = 0
        for _ in 0..<5_000 {
            let text = random.text(maximumTokens: 8, gluedOneIn: 4)
            guard let plan = try? self.plan(text) else { continue }
            for tier in SearchPlan.Tier.allCases {
                let counts = Dictionary(
                    plan.phrases.map { ($0.text, Int64(random.next(3))) }, uniquingKeysWith: { first, _ in first })
                for match in [plan.compile(tier, counts: nil), plan.compile(tier, counts: counts)].compactMap({ $0 }) {
                    compiled += 1
                    #expect(FTS5ExpressionValidator.isValid(match.expression), "\(text) → \(match.expression)")
                }
            }
        }
        #expect(compiled > 1_000)
    }

    @Test func theValidatorRejectsBrokenExpressions() {
        for broken in [
            "(\"a\"", "\"a", "\"a\" AND", "{nope} : \"a\"", "\"\"", "AND \"a\"", "\"a\" \"b\"", "()", "NEAR(\"a\")",
            "NEAR((\"a\" OR \"b\") \"c\")",
        ] {
            #expect(!FTS5ExpressionValidator.isValid(broken), "\(broken)")
        }
        #expect(FTS5ExpressionValidator.isValid(##"({title} : ("a" OR "#b")) NOT ("c"*)"##))
        #expect(FTS5ExpressionValidator.isValid(##"{title} : NEAR("a" "b c", 5)"##))
    }
}
