import AkhbarProtocol
import ArabicText
import Articles
import Foundation
import GRDB
import Testing

@testable import AkhbarStore

/// Watches matched on commit: the percolator's candidate selection never loses a match that the
/// full-text index itself would find, Arabic forms and operators behave as in search, and matches
/// are recorded once.
struct WatchMatchingTests {
    let temporary: TemporaryFolder
    var folder: String { temporary.path }
    let store: ArticleStore

    init() throws {
        temporary = try TemporaryFolder("akhbar-watches")
        store = try ArticleStore(path: temporary.path + "/store.sqlite")
    }

    static func item(_ index: Int, name: String? = nil, body: String? = nil) -> IngestItem {
        let entry = QuerySemanticsTests.articles[index]
        let article = Article(
            title: entry.title, body: body ?? entry.body, outlet: entry.outlet, author: entry.author,
            date: entry.date.map { ArticleDate(value: $0, precision: .day) },
            dateline: entry.place.map { Dateline(place: $0, agency: nil, text: $0) },
            original: entry.title + "\n" + (body ?? entry.body))
        return IngestItem.parsed(
            path: "/d/\(name ?? entry.name).txt", stamp: FileStamp(inode: UInt64(index + 1), size: 100, mtime: 1),
            file: PreparedFile(DropFile(items: [.init(position: 0, content: .article(article))])))
    }

    private func ingestAll() async throws {
        _ = try await store.apply(QuerySemanticsTests.articles.indices.map { Self.item($0) })
    }

    /// Every match recorded, as (watch, file name).
    private func matches(copies: Bool = true) async throws -> [(watch: String, file: String)] {
        try await store.watchMatches(after: 0, ids: nil, copies: copies, limit: 1000).map {
            ($0.watch, String($0.article.path!.dropFirst(3).dropLast(4)))
        }
    }

    private func matched(_ watch: String) async throws -> Set<String> {
        Set(try await matches().filter { $0.watch == watch }.map(\.file))
    }

    @Test func arabicFormsAndOperatorsMatchAsInSearch() async throws {
        let queries = [
            "proclitic": "طرابلس",
            "excluded": "طرابلس -رياضة",
            "either": "طرابلس OR مصراتة",
            "phrase": "\"المجلس الرئاسي\"",
            "near": "NEAR(المجلس الجيش, 3)",
            "outlet": "outlet:الوسط الميناء",
            "place": "place:طرابلس",
            "date": "date:2015-07 أحمد",
            "prefix": "طراب*",
            "plain": "الوفد الميناء",
        ]
        for (name, query) in queries { _ = try await store.addWatch(name: name, query: query, note: nil) }
        try await ingestAll()
        #expect(try await matched("proclitic") == ["tripoli", "sport", "prefixed"])
        #expect(try await matched("excluded") == ["tripoli", "prefixed"])
        #expect(try await matched("either") == ["tripoli", "misrata", "sport", "prefixed"])
        #expect(try await matched("phrase") == ["benghazi", "far"])
        #expect(try await matched("near") == ["benghazi"], "far has the words 15 apart")
        #expect(try await matched("outlet") == ["misrata"])
        #expect(try await matched("place") == ["tripoli", "sport"])
        #expect(try await matched("date") == ["tripoli", "sport"], "a word matches the author too, as in search")
        #expect(try await matched("prefix") == ["tripoli", "sport"], "وبطرابلس does not start with طراب")
        #expect(try await matched("plain").isEmpty, "no article has both words")
        let partial = try await store.search(SearchParameters(query: "الوفد الميناء", limit: 50, collapse: false))
        #expect(partial.count >= 2, "search fills the page with articles missing a word; a watch does not")
        // The same queries through search without partial matches: the same articles.
        for (name, query) in queries {
            let hits = try await store.search(
                SearchParameters(query: query, limit: 50, collapse: false, partial: false))
            let found = Set(hits.map { String($0.path!.dropFirst(3).dropLast(4)) })
            #expect(found == (try await matched(name)), "\(name): \(query)")
        }
    }

    /// Random queries of every operator: the watches' matches equal what their expressions find when
    /// run over the whole index, so selecting candidates by their terms never drops a match.
    @Test func candidateSelectionLosesNoMatch() async throws {
        let tokens = [
            "طرابلس", "وبطرابلس", "الجيش", "جيش", "المجلس", "الرئاسي", "مصراتة", "رياضة", "الميناء", "أحمد", "فريق",
            "OR", "OR", "-", "(", ")", "\"", "طراب*", "NEAR(", ",", "~3", "title:", "outlet:", "author:", "place:",
            "date:2015", "date:2015-07..", "عبدالله", "عبد", "الله", "وزير",
        ]
        var random = RandomQueryText(tokens: tokens, seed: 0xA1E7)
        var added: [String: String] = [:]
        while added.count < 120 {
            let query = random.text(maximumTokens: 5, gluedOneIn: 4)
            let name = "w\(added.count)"
            do {
                _ = try await store.addWatch(name: name, query: query, note: nil)
                added[name] = query
            } catch ArticleStore.SearchError.invalidQuery {
                continue
            }
        }
        try await ingestAll()
        // A joined compound name, which the analysis splits into two terms at consecutive positions.
        _ = try await store.apply([
            Self.item(0, name: "compound", body: "قال الوزير عبدالله في طرابلس إن عبد الله وزير الجيش")
        ])
        var total = 0
        for (name, query) in added {
            let expected = Set(
                try await store.testWatch(query: query, latest: 1000, limit: 1000).map {
                    String($0.article.path!.dropFirst(3).dropLast(4))
                })
            let got = try await matched(name)
            #expect(got == expected, "\(name): \(query)")
            total += got.count
        }
        #expect(total > 100, "the random watches match something")
    }

    /// Phrases, prefixes and NEAR at every distance, decided on each article's own positions: the
    /// same articles as the index finds. Random articles over a few words (with proclitics, whose
    /// stems share their word's position, and a compound name split in two) make every kind of
    /// near miss common.
    @Test func positionsDecideAsTheIndexDoes() async throws {
        let words = ["الجيش", "وجيش", "المجلس", "الرئاسي", "طرابلس", "وبطرابلس", "عبدالله", "عبد", "الله", "ميناء"]
        var random = RandomQueryText(tokens: words, seed: 0x5EED)
        func sentence(_ length: Int) -> String {
            (0..<length).map { _ in words[random.next(words.count)] }.joined(separator: " ")
        }
        var items: [IngestItem] = []
        for index in 0..<60 {
            let title = sentence(2 + random.next(5))
            let body = sentence(4 + random.next(25))
            let article = Article(
                title: title, body: body, outlet: random.next(3) == 0 ? sentence(2) : nil, author: nil, date: nil,
                dateline: nil, original: title + "\n" + body + "\n\(index)")
            items.append(
                .parsed(
                    path: "/d/r\(index).txt", stamp: FileStamp(inode: UInt64(100 + index), size: 10, mtime: 1),
                    file: PreparedFile(DropFile(items: [.init(position: 0, content: .article(article))]))))
        }
        var added: [String: String] = [:]
        while added.count < 150 {
            let a = words[random.next(words.count)]
            let b = words[random.next(words.count)]
            let c = words[random.next(words.count)]
            let query =
                switch random.next(6) {
                case 0: "\"\(a) \(b)\""
                case 1: "\"\(a) \(b) \(c)\""
                case 2: "\"\(a) \(b.prefix(3))*\""
                case 3: "NEAR(\(a) \(b), \(random.next(6)))"
                case 4: "NEAR(\(a) \"\(b) \(c)\", \(random.next(4)))"
                default: "title:\"\(a) \(b)\" -NEAR(\(b) \(c), \(random.next(3)))"
                }
            guard added.values.contains(query) == false else { continue }
            do {
                _ = try await store.addWatch(name: "p\(added.count)", query: query, note: nil)
                added["p\(added.count)"] = query
            } catch ArticleStore.SearchError.invalidQuery {
                continue
            }
        }
        for start in stride(from: 0, to: items.count, by: 7) {
            _ = try await store.apply(Array(items[start..<min(start + 7, items.count)]))
        }
        var total = 0
        for (name, query) in added {
            let expected = Set(
                try await store.testWatch(query: query, latest: 1000, limit: 1000).map { $0.article.path! })
            let got = Set(try await store.latestMatches(of: name, copies: true, limit: 1000).map { $0.article.path! })
            #expect(got == expected, "\(name): \(query)")
            total += got.count
        }
        #expect(total > 300, "the random watches match often")
        // A page with many matches of one article analyzes its body once for all their snippets:
        // the same snippets as each match read alone.
        let page = try await store.watchMatches(after: 0, ids: nil, copies: true, limit: 5_000)
        #expect(page.count == total)
        for match in page.prefix(400) {
            let alone = try #require(
                try await store.watchMatches(after: match.cursor - 1, ids: nil, copies: true, limit: 1).first)
            #expect(alone.snippet == match.snippet && alone.highlights == match.highlights, "\(match.watch)")
        }
        // The index was given the workers' analysis, replayed: FTS5 analyzes every row again and
        // compares.
        try await store.pool.write { db in
            try db.execute(sql: "INSERT INTO article_fts(article_fts, rank) VALUES ('integrity-check', 1)")
        }
    }

    @Test func aChangedArticleIsNotMatchedTwiceAndACopyIsMarked() async throws {
        _ = try await store.addWatch(name: "tripoli", query: "طرابلس", note: nil)
        try await ingestAll()
        // The same file with one more sentence: updated in place, same id.
        let changed = QuerySemanticsTests.articles[0].body + " وعاد في المساء"
        _ = try await store.apply([Self.item(0, body: changed)])
        #expect(try await matches().filter { $0.file == "tripoli" }.count == 1)
        // Another file with nearly the same long text: a near-duplicate of the first, so a copy.
        let long = QuerySemanticsTests.articles.map(\.body).joined(separator: " و")
        _ = try await store.apply([Self.item(1, name: "long", body: long)])
        _ = try await store.apply([Self.item(2, name: "long-copy", body: long + " انتهى")])
        let stories = try await store.watchMatches(after: 0, ids: nil, copies: false, limit: 100).map(\.article.path)
        let all = try await store.watchMatches(after: 0, ids: nil, copies: true, limit: 100)
        #expect(all.count == stories.count + 1)
        #expect(all.last?.copy == true && all.last?.article.path == "/d/long-copy.txt")
        #expect(try await store.watches().first?.matches == stories.count, "copies are not counted")
        // The watch's own chain of matches, newest first, with and without the copy.
        let latest = try await store.latestMatches(of: "tripoli", copies: true, limit: 2).map(\.article.path)
        #expect(latest == ["/d/long-copy.txt", "/d/long.txt"])
        let stories2 = try await store.latestMatches(of: "tripoli", copies: false, limit: 100).map(\.article.path)
        #expect(stories2 == stories.reversed())
    }

    @Test func cursorsOnlyGrowAndWatchesSurviveAReopen() async throws {
        _ = try await store.addWatch(name: "misrata", query: "مصراتة", note: "port")
        try await ingestAll()
        let first = try await store.watchMatches(after: 0, ids: nil, copies: true, limit: 10)
        #expect(first.map(\.cursor) == [1])
        try await store.acknowledge(consumer: "mail", cursor: 1)
        try await store.acknowledge(consumer: "mail", cursor: 0)
        #expect(try await store.consumerCursor("mail") == 1, "an old acknowledgement does not move it back")
        #expect(try await store.consumerCursor("other") == nil)

        let reopened = try ArticleStore(path: folder + "/store.sqlite")
        #expect(reopened.watchCount == 1)
        _ = try await reopened.apply([Self.item(1, name: "misrata-2", body: "وصلت سفينة إلى ميناء مصراتة")])
        let next = try await reopened.watchMatches(after: 1, ids: nil, copies: true, limit: 10)
        #expect(next.map(\.article.path) == ["/d/misrata-2.txt"])
        #expect(next.first.map { $0.cursor > 1 } == true)
        #expect(try await reopened.watches().first?.note == "port")
    }

    @Test func refusalsSayWhy() async throws {
        var searchReason: String?
        do {
            _ = try await store.search(SearchParameters(query: "(ليبيا"))
        } catch ArticleStore.SearchError.invalidQuery(let reason) {
            searchReason = reason
        }
        await #expect(throws: ArticleStore.SearchError.invalidQuery(try #require(searchReason))) {
            _ = try await store.addWatch(name: "bad", query: "(ليبيا", note: nil)
        }
        _ = try await store.addWatch(name: "libya", query: "ليبيا", note: nil)
        await #expect(throws: ArticleStore.WatchError.exists("libya")) {
            _ = try await store.addWatch(name: "libya", query: "طرابلس", note: nil)
        }
        await #expect(throws: ArticleStore.WatchError.self) {
            _ = try await store.addWatch(name: "two words", query: "ليبيا", note: nil)
        }
        // The query's length limit is search's own.
        let long = String(repeating: "ليبيا ", count: Query.maximumLength / 6 + 1)
        await #expect(throws: ArticleStore.SearchError.self) {
            _ = try await store.addWatch(name: "long", query: long, note: nil)
        }
        await #expect(throws: ArticleStore.WatchError.self) {
            _ = try await store.addWatch(
                name: "noted", query: "ليبيا", note: String(repeating: "x", count: WatchInfo.maximumNoteLength + 1))
        }
        await #expect(throws: ArticleStore.WatchError.notFound("gone")) {
            try await store.removeWatch(name: "gone")
        }
        try await store.removeWatch(name: "libya")
        #expect(try await store.watches().isEmpty)
        #expect(store.watchCount == 0)
    }
}
