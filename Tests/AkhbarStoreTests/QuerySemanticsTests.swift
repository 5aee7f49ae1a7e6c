import AkhbarProtocol
import ArabicText
import Articles
import Foundation
import GRDB
import Testing

@testable import AkhbarStore

/// Each operator of the query language on a small real store, Arabic forms included: a word keeps
/// its forms inside OR, NOT, NEAR and fields exactly as it has them alone.
struct QuerySemanticsTests {
    let store: ArticleStore
    let temporary: TemporaryFolder

    /// Short articles, by file name.
    static let articles:
        [(name: String, title: String, body: String, outlet: String, author: String?, date: String?, place: String?)] =
            [
                (
                    "tripoli", "اجتماع في العاصمة", "وصل الوفد إلى طرابلس صباح اليوم لبحث الأزمة", "الوسط", "أحمد علي",
                    "2015-07-04", "طرابلس"
                ),
                (
                    "misrata", "حركة في الميناء", "شهدت مصراتة حركة تجارية نشطة في الميناء", "الوسط", "سالم محمد",
                    "2015-07-20", "مصراتة"
                ),
                (
                    "benghazi", "الجيش يتقدم", "أعلن المجلس الرئاسي أن الجيش تقدم في بنغازي", "بوابة الوسط", nil,
                    "2015-08-02", "بنغازي"
                ),
                (
                    "far", "تقرير مطول",
                    "المجلس الرئاسي عقد جلسة طويلة ناقش فيها ملفات كثيرة منها الاقتصاد والتعليم والصحة ثم تحدث عن الجيش",
                    "ليبيا الآن", nil, "2016-01-10", nil
                ),
                (
                    "sport", "مباراة في طرابلس", "فاز فريق طرابلس في مباراة رياضة كرة القدم", "الرياضي", "أحمد علي",
                    "2015-07-05", "طرابلس"
                ),
                ("prefixed", "أخبار", "وبطرابلس أقيم معرض للكتاب", "الوسط", nil, nil, nil),
            ]

    init() async throws {
        temporary = try TemporaryFolder("akhbar-semantics")
        store = try ArticleStore(path: temporary.path + "/store.sqlite")
        let items = Self.articles.enumerated().map { index, entry in
            let article = Article(
                title: entry.title, body: entry.body, outlet: entry.outlet, author: entry.author,
                date: entry.date.map { ArticleDate(value: $0, precision: .day) },
                dateline: entry.place.map { Dateline(place: $0, agency: nil, text: $0) },
                original: entry.title + "\n" + entry.body)
            return IngestItem.parsed(
                path: "/d/\(entry.name).txt", stamp: FileStamp(inode: UInt64(index + 1), size: 100, mtime: 1),
                file: PreparedFile(DropFile(items: [.init(position: 0, content: .article(article))])))
        }
        _ = try await store.apply(items)
    }

    /// The names of the files the query finds, in rank order.
    private func found(_ query: String) async throws -> [String] {
        try await store.search(SearchParameters(query: query, limit: 50, collapse: false)).map { hit in
            String(hit.path!.dropFirst(3).dropLast(4))
        }
    }

    private func foundSet(_ query: String) async throws -> Set<String> {
        Set(try await found(query))
    }

    @Test func orFindsEitherWordInAnyOfItsForms() async throws {
        #expect(try await foundSet("طرابلس OR مصراتة") == ["tripoli", "misrata", "sport", "prefixed"])
        #expect(try await foundSet("طرابلس | مصراتة") == ["tripoli", "misrata", "sport", "prefixed"])
        // The proclitic form (وبطرابلس) is found inside OR as it is alone.
        #expect(try await foundSet("طرابلس").contains("prefixed"))
        #expect(try await foundSet("(طرابلس OR القاهرة)").contains("prefixed"))
    }

    @Test func notAndMinusExclude() async throws {
        #expect(try await foundSet("طرابلس -رياضة") == ["tripoli", "prefixed"])
        #expect(try await foundSet("طرابلس NOT رياضة") == ["tripoli", "prefixed"])
        #expect(try await foundSet("طرابلس NOT (رياضة OR معرض)") == ["tripoli"])
    }

    @Test func precedenceIsNotThenAndThenOr() async throws {
        // مصراتة OR (طرابلس AND الوفد)
        #expect(try await foundSet("مصراتة OR طرابلس الوفد") == ["misrata", "tripoli"])
        #expect(try await foundSet("(مصراتة OR طرابلس) الوفد") == ["tripoli"])
    }

    @Test func nearFindsWordsWithinTheDistanceInAnyOrder() async throws {
        #expect(try await foundSet("NEAR(\"المجلس الرئاسي\" الجيش, 5)") == ["benghazi"])
        #expect(try await foundSet("NEAR(\"المجلس الرئاسي\" الجيش, 30)") == ["benghazi", "far"])
        #expect(try await foundSet("\"الجيش الرئاسي\"~5") == ["benghazi"])
        #expect(try await foundSet("\"الرئاسي المجلس\"") == [], "a phrase keeps its order")
        // A word inside NEAR keeps its forms: جيش matches الجيش.
        #expect(try await foundSet("NEAR(جيش بنغازي, 5)") == ["benghazi"])
        #expect(try await foundSet("(طرابلس OR مصراتة) AND (\"المجلس الرئاسي\" NEAR/5 الجيش)") == [])
        #expect(try await foundSet("(بنغازي OR مصراتة) AND (\"المجلس الرئاسي\" NEAR/5 الجيش) -رياضة") == ["benghazi"])
    }

    @Test func fieldsLimitToTheirColumn() async throws {
        #expect(try await foundSet("title:طرابلس") == ["sport"])
        #expect(try await foundSet("outlet:الرياضي") == ["sport"])
        #expect(try await foundSet("author:سالم") == ["misrata"])
        #expect(try await foundSet("title:(الجيش OR مباراة)") == ["benghazi", "sport"])
    }

    @Test func placeAndDateFilterWholeArticles() async throws {
        #expect(try await foundSet("place:طرابلس") == ["tripoli", "sport"])
        #expect(try await foundSet("الوفد place:طرابلس") == ["tripoli"])
        #expect(try await foundSet("طرابلس -place:طرابلس") == ["prefixed"])
        #expect(try await foundSet("date:2015-07") == ["tripoli", "misrata", "sport"])
        #expect(try await foundSet("date:2015-07-05..2015-08-31") == ["misrata", "sport", "benghazi"])
        #expect(try await foundSet("الجيش date:2016") == ["far"])
        #expect(try await foundSet("الجيش -date:2016") == ["benghazi"])
        #expect(try await foundSet("طرابلس date:..2015-07-04") == ["tripoli"])
    }

    /// The word as typed ranks first: an article with the very form beats one with more of another form.
    @Test func theTypedFormRanksFirst() async throws {
        let hits = try await found("طرابلس")
        #expect(hits.last == "prefixed", "\(hits)")
    }

    @Test func malformedQueriesSayWhereTheProblemIs() async throws {
        for query in [
            "(طرابلس", "طرابلس OR", "NEAR(طرابلس, 3)", "\"طرابلس", "date:2015-13", "OR طرابلس", "-طرابلس", "طرابلس)",
        ] {
            await #expect(throws: ArticleStore.SearchError.self, "\(query)") {
                _ = try await store.search(SearchParameters(query: query))
            }
        }
        do {
            _ = try await store.search(SearchParameters(query: "طرابلس OR (مصراتة"))
            Issue.record("an unbalanced parenthesis was accepted")
        } catch ArticleStore.SearchError.invalidQuery(let reason) {
            #expect(reason.contains("at character 11"), "\(reason)")
        }
    }

    /// A plan made for another expression is refused, not ranked by: the ranking function checks it.
    @Test func aRankPlanOfTheWrongLengthFails() async throws {
        let query = try Query(parsing: "طرابلس الوفد", analyzer: ArabicAnalyzer())
        let strict = try #require(SearchPlan(query).compile(.strict, counts: nil))
        var shortened = strict
        shortened.phrases.removeLast()
        let short = shortened
        await #expect(throws: DatabaseError.self) {
            try await store.pool.read { db in
                let plan = RankPlan(short, counts: [:])
                let statement = try db.makeStatement(
                    sql: "SELECT akhbar_rank(article_fts, ?) FROM article_fts WHERE article_fts MATCH ?")
                _ = try plan.fetch(statement, arguments: [nil, strict.expression], index: 1)
            }
        }
    }

    /// Random queries of words, operators, quotes, fields and dates against the real index: each one
    /// gives hits or an invalid-query error, never an SQLite error (the compiler wrote bad FTS5) and
    /// never a plan that does not fit its expression.
    @Test func randomQueriesRunOrAreRefusedCleanly() async throws {
        let tokens = [
            "طرابلس", "وبطرابلس", "الجيش", "جيش", "المجلس", "الرئاسي", "مصراتة", "في", "من", "رياضة", "libya", "x",
            "OR", "AND", "NOT", "|", "-", "(", ")", "\"", "«", "»", "*", "NEAR(", "NEAR/3", ",", "~2", "title:",
            "outlet:",
            "author:", "place:", "date:2015", "date:2015-07..", "date:..2016-01-31", "date:2015-02-30", "ً", "ـ",
            "\u{200F}",
        ]
        var random = RandomQueryText(tokens: tokens, seed: 0x5EED)
        var refused = 0
        for _ in 0..<1_500 {
            let query = random.text(maximumTokens: 7, gluedOneIn: 3)
            do {
                _ = try await store.search(SearchParameters(query: query, limit: 5))
            } catch ArticleStore.SearchError.invalidQuery(let reason) {
                #expect(!reason.contains("fts5"), "\(query): \(reason)")
                refused += 1
            }
        }
        #expect(refused > 0 && refused < 1_500)
    }
}
