import Testing

@testable import ArabicText

/// The query language: what each construct parses to, where errors point, and that a parsed query
/// written back parses to itself.
@Suite struct QueryParserTests {
    let analyzer = ArabicAnalyzer()

    private func parse(_ text: String) throws -> QueryNode {
        try Query(parsing: text, analyzer: analyzer).root
    }

    /// The canonical text of a query: operators spelled out, only the parentheses precedence needs.
    private func canonical(_ text: String) throws -> String {
        try Query(parsing: text, analyzer: analyzer).description
    }

    private func error(_ text: String) -> InvalidQuery? {
        do {
            _ = try Query(parsing: text, analyzer: analyzer)
            return nil
        } catch {
            return error
        }
    }

    @Test func notBindsTighterThanAndThanOr() throws {
        #expect(try canonical("a OR b c") == "a OR b c")
        guard case .or(let children) = try parse("a OR b c"), case .and = children[1] else {
            Issue.record("a OR (b AND c) expected")
            return
        }
        guard case .and(let both) = try parse("NOT a b"), case .not = both[0] else {
            Issue.record("(NOT a) AND b expected")
            return
        }
        #expect(try canonical("(a OR b) c") == "(a OR b) c")
        #expect(try canonical("a AND b AND c") == "a b c", "nested conjunctions are one")
        #expect(try canonical("(a OR (b OR c))") == "a OR b OR c")
        #expect(try canonical("a NOT b") == "a -b")
        #expect(try canonical("a -(b OR c)") == "a -(b OR c)")
        #expect(try canonical("a NOT NOT b") == "a b", "a double negation cancels")
    }

    @Test func operatorsAndTheirSpellings() throws {
        #expect(try canonical("a | b") == "a OR b")
        #expect(try canonical("a or b") == "a or b", "only capitals are operators")
        #expect(try canonical("+a b") == "a b")
        #expect(try canonical("+OR a") == "+OR a", "a word that reads as an operator keeps its sign")
        #expect(try canonical("a NEAR b") == "NEAR(a b, 10)")
        #expect(try canonical("a NEAR/3 b NEAR/3 c") == "NEAR(a b c, 3)")
        #expect(try canonical("\"a b\"~4") == "NEAR(a b, 4)")
        #expect(try canonical("NEAR(a \"b c\", 2)") == "NEAR(a \"b c\", 2)")
        #expect(try canonical("«طرابلس الغرب»") == "\"طرابلس الغرب\"")
        #expect(try canonical("“a \"b\" c”") == "«a \"b\" c»")
        #expect(try canonical("ليبي*") == "ليبي*")
        #expect(try canonical("\"المجلس الرئا\"*") == "\"المجلس الرئا\"*")
        #expect(try canonical("a, b") == "a b", "a comma outside NEAR only separates")
        #expect(try canonical("NEAR(a b, ٣)") == "NEAR(a b, 3)", "Arabic-Indic digits")
    }

    @Test func fieldsApplyToWordsPhrasesNearAndGroups() throws {
        #expect(try canonical("TITLE:ليبيا") == "title:ليبيا")
        #expect(try canonical("title:(a OR b) c") == "(title:a OR title:b) c")
        #expect(try canonical("author:(a outlet:b)") == "author:a outlet:b")
        #expect(try canonical("outlet:NEAR(a b, 2)") == "outlet:NEAR(a b, 2)")
        #expect(try canonical("-title:\"a b\" c") == "-title:\"a b\" c")
        #expect(try canonical("x:ليبيا") == "\"x:ليبيا\"", "an unknown field is text: two words in a row")
    }

    @Test func wordsCarryTheirAnalyzedForms() throws {
        guard case .word(let word) = try parse("بالحسن") else {
            Issue.record("a word expected")
            return
        }
        #expect(word.typed == "بالحسن")
        #expect(word.forms.literal == "بالحسن")
        #expect(word.forms.prefixed.contains("الحسن"))
        #expect(word.forms.stems.first == "#حسن")
        #expect(Set(word.forms.all).count == word.forms.all.count, "no form twice")
        guard case .word(let prefix) = try parse("ليب*") else {
            Issue.record("a word expected")
            return
        }
        #expect(prefix.isPrefix && prefix.forms.all == ["ليب"])
        guard case .phrase(let compound) = try parse("عبدالرازق") else {
            Issue.record("a compound is a phrase")
            return
        }
        #expect(compound.terms == ["عبد", "الرازق"])
        guard case .word(let stop) = try parse("في") else {
            Issue.record("a word expected")
            return
        }
        #expect(stop.forms.isStopword)
        #expect(try canonical("#ليبيا") == "#ليبيا", "typed text is kept")
        guard case .word(let marked) = try parse("#ليبيا") else { return }
        #expect(marked.forms.literal == "ليبيا", "users cannot write stem terms")
    }

    @Test func datesAndPlaces() throws {
        #expect(try parse("date:2015-07") == .date(DateRange(first: "2015-07-01", last: "2015-07-31")))
        #expect(try parse("date:2016-02") == .date(DateRange(first: "2016-02-01", last: "2016-02-29")))
        #expect(try parse("date:2015..2016-03-04") == .date(DateRange(first: "2015-01-01", last: "2016-03-04")))
        #expect(try parse("date:2016..") == .date(DateRange(first: "2016-01-01", last: nil)))
        #expect(try parse("date:..2015-06") == .date(DateRange(first: nil, last: "2015-06-30")))
        #expect(try parse("date:٢٠١٥") == .date(DateRange(first: "2015-01-01", last: "2015-12-31")))
        #expect(try canonical("date:2015-01-01..2015-12-31 a") == "date:2015 a")
        #expect(try parse("place:\"بئر الغنم\"") == .place(QueryPlace(typed: "بئر الغنم", normalized: "بير الغنم")))
        #expect(try canonical("place:«بئر الغنم» -place:طرابلس a") == "place:\"بئر الغنم\" -place:طرابلس a")
        for bad in ["date:2015-13", "date:2015-02-29", "date:15", "date:2016..2015", "date:..", "date:2015-7"] {
            #expect(error(bad)?.position == 0, "\(bad)")
        }
    }

    /// Syntax errors say what is wrong and point at it, counting characters from 1.
    @Test(
        arguments: [
            ("طرابلس OR (مصراتة", 11, "never closed"),
            ("a)", 2, "closes nothing"),
            ("a \"b c", 3, "quote is never closed"),
            ("a OR", 3, "OR needs"),
            ("OR a", 1, "OR needs"),
            ("a OR OR b", 3, "OR needs"),
            ("a AND", 3, "AND needs"),
            ("a NOT", 3, "NOT needs"),
            ("NEAR/3 a", 1, "NEAR needs"),
            ("a NEAR/x b", 3, "NEAR/ takes"),
            ("a NEAR/5000 b", 3, "NEAR/ takes"),
            ("NEAR(a b, x)", 9, "distance"),
            ("NEAR(a b", 1, "never closed"),
            ("NEAR(a (b) c)", 8, "NEAR(…) takes"),
            ("NEAR(a, 3)", 1, "two or more"),
            ("a NEAR/2 b NEAR/3 c", 12, "one distance"),
            ("a NEAR/2 (b c)", 3, "NEAR needs"),
            ("title: a", 1, "title: needs"),
            ("place: a", 1, "place: needs"),
            ("\"a\"~ b", 4, "distance"),
            ("a date:yesterday", 3, "date: takes"),
            (", ,", nil, "no searchable words"),
        ] as [(String, Int?, String)])
    func syntaxErrorsPointAtTheProblem(text: String, character: Int?, reason: String) throws {
        let failure = try #require(error(text), "\(text) was accepted")
        #expect(failure.position.map { $0 + 1 } == character, "\(text): \(failure)")
        #expect(failure.reason.contains(reason), "\(text): \(failure)")
    }

    @Test func meaningErrors() throws {
        #expect(error("-a")?.reason.contains("only excludes") == true)
        #expect(error("-a -b")?.reason.contains("only excludes") == true)
        #expect(error("a OR -b")?.reason.contains("OR") == true)
        #expect(error("a OR date:2015")?.reason.contains("whole query") == true)
        #expect(error("a -(b date:2015)")?.reason.contains("whole query") == true)
        #expect(error("title:(a date:2015)")?.reason.contains("cannot apply") == true)
        #expect(error("")?.reason == "the query has no words")
        #expect(error("...")?.reason == "the query has no searchable words")
        #expect(
            error(String(repeating: "(", count: 40) + "a" + String(repeating: ")", count: 40))?.reason.contains("nests")
                == true)
        #expect(error(String(repeating: "NOT ", count: 40) + "a")?.reason.contains("nests") == true)
        #expect(error((0..<65).map { "w\($0)" }.joined(separator: " "))?.reason.contains("at most 64") == true)
        #expect(error(String(repeating: "ا", count: 1001))?.reason.contains("at most 1000") == true)
        #expect(error("a -date:2015") == nil, "a date can be excluded beside a word")
    }

    /// A parsed query written back parses to the very same query.
    @Test(arguments: [
        "ليبيا", "طرابلس مصراتة", "طرابلس OR مصراتة", "(طرابلس OR مصراتة) الوفد", "a OR b c OR d", "a -b -(c OR d)",
        "NOT a b", "\"المجلس الرئاسي\"", "«المجلس الرئاسي» الجيش", "“a \"b\" c”", "“a » \" c”", "ليبي*",
        "\"عبد الرز\"*",
        "عبدالرازق", "NEAR(الجيش بنغازي, 4)", "\"الجيش بنغازي\"~3", "a NEAR/2 \"b c\"", "NEAR(title:a b)",
        "outlet:NEAR(a b, 1)",
        "title:ليبيا", "author:(سالم OR أحمد)", "outlet:\"بوابة الوسط\"", "place:طرابلس الوفد", "place:\"بئر الغنم\"",
        "-place:طرابلس a", "date:2015", "date:2015-07-04", "date:2015-07..2015-09", "date:2016..", "date:..2015-06-30",
        "a -date:2016", "+OR", "+NEAR a", "-OR a", "title:AND", "NEAR(+OR a, 2)", "x:y", "ليبيا: مصر", "a,b", "في",
        "الأمريكية", "تعثّرت", "#ليبيا", "a\u{200F}b", "😀 ليبيا", "\"a b\"*~2", "a NEAR b NEAR c",
    ])
    func printedQueriesParseBackToThemselves(text: String) throws {
        let query = try Query(parsing: text, analyzer: analyzer)
        let again = try Query(parsing: query.description, analyzer: analyzer)
        #expect(again == query, "\(text) → \(query.description) → \(again.description)")
    }

    /// 100,000 random token sequences: each parses or is refused with a reason, never traps, and what
    /// parses prints back to itself.
    @Test func randomSequencesParseOrAreRefused() throws {
        let tokens = [
            "ليبيا", "طرابلس", "الحسن", "في", "a", "OR", "AND", "NOT", "NEAR", "NEAR/2", "NEAR(", "|", "-", "+", "(",
            ")", "\"",
            "«", "»", "“", "”", "*", ",", "3", "~2", "title:", "outlet:", "author:", "place:", "date:", "date:2015",
            "date:2015-07..", "..", "x:", "#", ":", "\u{0}", "ـ", "\u{200F}", "😀", "٣",
        ]
        var state: UInt64 = 2026
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var parsed = 0
        var refused = 0
        for _ in 0..<100_000 {
            let text = (0..<(1 + next(8))).map { _ in tokens[next(tokens.count)] }.joined(
                separator: next(3) == 0 ? "" : " ")
            do {
                let query = try Query(parsing: text, analyzer: analyzer)
                parsed += 1
                let again = try? Query(parsing: query.description, analyzer: analyzer)
                if again != query {
                    Issue.record("\(text) → \(query.description) does not parse back")
                    return
                }
            } catch {
                #expect(!error.reason.isEmpty)
                if let position = error.position { #expect(position < text.unicodeScalars.count, "\(text): \(error)") }
                refused += 1
            }
        }
        #expect(parsed > 10_000 && refused > 10_000, "parsed \(parsed), refused \(refused)")
    }
}
