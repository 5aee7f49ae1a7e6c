import AkhbarProtocol
import Articles
import Foundation
import Testing

@testable import AkhbarStore

/// `Count` on a store the test builds: every grouping's buckets, totals equal to what search finds,
/// empty periods filled, undated articles apart, near-duplicates counted once as stories.
struct CountTests {
    let store: ArticleStore
    let temporary: TemporaryFolder

    /// (name, body, outlet, author, date, place)
    static let articles: [(String, String, String?, String?, String?, String?)] = [
        ("a", "اجتمع المجلس في طرابلس لبحث الميزانية", "الوسط", "أحمد علي", "2015-07-01", "طرابلس"),
        ("b", "وصل الوفد إلى طرابلس صباح اليوم", "الوسط", nil, "2015-07-01T09:30", "طرابلس"),
        ("c", "شهدت مصراتة حركة تجارية في الميناء", "عكاظ", "سالم محمد", "2015-07-03", "مصراتة"),
        ("d", "مباراة في طرابلس انتهت بالتعادل", nil, "أحمد علي", "2015-07-14", nil),
        ("e", "تقرير عن طرابلس بلا تاريخ", "عكاظ", nil, nil, nil),
        ("f", "أخبار عامة عن الاقتصاد", "الرياض", nil, "2015-08-02", "الرياض"),
    ]

    init() async throws {
        temporary = try TemporaryFolder("akhbar-count")
        store = try ArticleStore(path: temporary.path + "/store.sqlite")
        var items = Self.articles.enumerated().map { index, entry in
            Self.item(
                index, name: entry.0, body: entry.1, outlet: entry.2, author: entry.3, date: entry.4, place: entry.5)
        }
        // A near-duplicate of a long article: two articles, one story.
        let long = Self.articles.map(\.1).joined(separator: " و") + " طرابلس"
        items.append(
            Self.item(10, name: "long", body: long, outlet: "الوسط", author: nil, date: "2015-07-20", place: nil))
        items.append(
            Self.item(
                11, name: "long-copy", body: long + " انتهى", outlet: "عكاظ", author: nil, date: "2015-07-21",
                place: nil))
        for item in items { _ = try await store.apply([item]) }
    }

    private static func item(
        _ index: Int, name: String, body: String, outlet: String?, author: String?, date: String?, place: String?
    ) -> IngestItem {
        let article = Article(
            title: "خبر \(name)", body: body, outlet: outlet, author: author,
            date: date.map { ArticleDate(value: $0, precision: .day) },
            dateline: place.map { Dateline(place: $0, agency: nil, text: $0) }, original: body)
        return .parsed(
            path: "/d/\(name).txt", stamp: FileStamp(inode: UInt64(index + 1), size: 1, mtime: 1),
            file: PreparedFile(DropFile(items: [.init(position: 0, content: .article(article))])))
    }

    private func count(_ query: String?, by grouping: CountGrouping, since: String? = nil, until: String? = nil)
        async throws -> CountReply
    {
        try await store.count(CountParameters(query: query, by: grouping, since: since, until: until))
    }

    private func pairs(_ reply: CountReply) -> [String: Int] {
        Dictionary(reply.buckets.map { ($0.key ?? "-", $0.articles) }, uniquingKeysWith: +)
    }

    @Test func daysAreFilledAndUndatedArticlesCountedApart() async throws {
        let reply = try await count("طرابلس", by: .day)
        #expect(reply.total == 6, "a, b, d, e, long, long-copy")
        #expect(reply.undated == 1, "e states no date")
        #expect(reply.buckets.first?.key == "2015-07-01" && reply.buckets.last?.key == "2015-07-21")
        #expect(reply.buckets.count == 21, "every day from the first to the last")
        #expect(pairs(reply)["2015-07-01"] == 2 && pairs(reply)["2015-07-02"] == 0)
        #expect(reply.buckets.reduce(0) { $0 + $1.articles } + reply.undated == reply.total)
        #expect(reply.stories == 5, "the long article and its near-duplicate are one story")
    }

    @Test func totalsEqualWhatSearchFinds() async throws {
        for query in ["طرابلس", "طرابلس -مباراة", "مصراتة OR الاقتصاد", "outlet:الوسط", "place:طرابلس", "date:2015-07"]
        {
            let hits = try await store.search(
                SearchParameters(query: query, limit: 1000, collapse: false, partial: false))
            #expect(try await count(query, by: .outlet).total == hits.count, "\(query)")
        }
        #expect(try await count(nil, by: .outlet).total == 8)
    }

    @Test func weeksStartOnMondayAndMonthsAreCalendarMonths() async throws {
        let weeks = try await count(nil, by: .week, since: "2015-06-29", until: "2015-08-09")
        #expect(
            weeks.buckets.map { $0.key ?? "" } == [
                "2015-06-29", "2015-07-06", "2015-07-13", "2015-07-20", "2015-07-27", "2015-08-03",
            ])
        #expect(weeks.buckets.map(\.articles) == [3, 0, 1, 2, 1, 0], "2015-08-02 is a Sunday")
        let months = try await count(nil, by: .month)
        #expect(pairs(months) == ["2015-07": 6, "2015-08": 1])
        #expect(months.undated == 1)
    }

    @Test func outletsAuthorsAndPlacesSumToTheTotal() async throws {
        let outlets = try await count(nil, by: .outlet)
        #expect(pairs(outlets) == ["الوسط": 3, "عكاظ": 3, "الرياض": 1, "-": 1])
        #expect(outlets.buckets.first?.articles == 3)
        let authors = try await count(nil, by: .author)
        #expect(pairs(authors)["أحمد علي"] == 2 && pairs(authors)["-"] == 5)
        let places = try await count("طرابلس", by: .place)
        #expect(pairs(places) == ["طرابلس": 2, "-": 4])
        for reply in [outlets, authors, places] {
            #expect(reply.buckets.reduce(0) { $0 + $1.articles } == reply.total)
        }
        let top = try await store.count(CountParameters(by: .outlet, limit: 2))
        #expect(top.buckets.count == 2 && top.others == 2)
    }

    @Test func byIngestPutsEveryArticleInADay() async throws {
        let reply = try await store.count(CountParameters(by: .day, byIngest: true))
        #expect(reply.undated == 0 && reply.buckets.reduce(0) { $0 + $1.articles } == reply.total)
    }

    @Test func aBadQueryOrDateIsRefused() async throws {
        await #expect(throws: ArticleStore.SearchError.self) { _ = try await count("(طرابلس", by: .day) }
        await #expect(throws: ArticleStore.SearchError.self) { _ = try await count(nil, by: .day, since: "July") }
    }

    @Test func theFacetsInMemoryCountWhatSQLCounts() async throws {
        let queries: [String?] = [
            nil, "طرابلس", "طرابلس -مباراة", "outlet:الوسط", "date:2015-07", "طرابلس -date:2015-07-01",
        ]
        let filters: [(since: String?, until: String?, outlet: String?, author: String?)] = [
            (nil, nil, nil, nil), ("2015-07-02", nil, nil, nil), (nil, "2015-07-14", "عكاظ", nil),
            (nil, nil, nil, "أحمد علي"), (nil, nil, "لا أحد", nil),
        ]
        for query in queries {
            for filter in filters {
                for grouping in CountGrouping.allCases {
                    for byIngest in [false, true] {
                        let parameters = CountParameters(
                            query: query, by: grouping, since: filter.since, until: filter.until, outlet: filter.outlet,
                            author: filter.author, byIngest: byIngest)
                        let (facets, sql) = try await store.pool.read { db in
                            let plan = try store.selectionPlan(query)
                            guard
                                let selection = try store.selection(
                                    plan, since: filter.since, until: filter.until, outlet: filter.outlet,
                                    author: filter.author, in: db)
                            else { return (ArticleStore.Counted?.none, ArticleStore.Counted()) }
                            return (
                                try store.facetCount(parameters, plan: plan, selection: selection, in: db),
                                try store.sqlCount(parameters, selection: selection, in: db)
                            )
                        }
                        let counted = try #require(facets, "no facet count for \(parameters)")
                        #expect(counted.total == sql.total && counted.stories == sql.stories, "\(parameters)")
                        #expect(counted.buckets == sql.buckets, "\(parameters)")
                    }
                }
            }
        }
    }

    @Test func facetsFollowNewAndChangedArticles() async throws {
        _ = try await count(nil, by: .outlet)  // the facets are filled
        _ = try await store.apply([
            Self.item(
                20, name: "g", body: "خبر جديد عن طرابلس", outlet: "الوسط", author: nil, date: "2015-09-01",
                place: nil)
        ])
        #expect(pairs(try await count(nil, by: .outlet))["الوسط"] == 4)
        #expect(pairs(try await count(nil, by: .month))["2015-09"] == 1)
        // The file rewritten with another outlet and date: its article changes in place.
        _ = try await store.apply([
            Self.item(
                20, name: "g", body: "خبر جديد معدل عن طرابلس", outlet: "عكاظ", author: nil, date: "2015-10-01",
                place: nil)
        ])
        let outlets = pairs(try await count(nil, by: .outlet))
        #expect(outlets["الوسط"] == 3 && outlets["عكاظ"] == 4, "\(outlets)")
        let months = pairs(try await count(nil, by: .month))
        #expect(months["2015-09"] == 0 && months["2015-10"] == 1, "\(months)")
    }
}
