import AkhbarProtocol
import ArabicText
import Articles
import Foundation
import GRDB
import GRDBSQLite
import Testing

@testable import AkhbarStore

/// The store on real SQLite files in a temporary folder.
struct ArticleStoreTests {
    let temporary: TemporaryFolder
    var folder: String { temporary.path }
    let store: ArticleStore

    init() throws {
        temporary = try TemporaryFolder("akhbar-store")
        store = try ArticleStore(path: temporary.path + "/store.sqlite")
    }

    private func parsed(_ path: String, _ articles: [Article], inode: UInt64 = 1, mtime: Int64 = 1) -> IngestItem {
        .parsed(
            path: path, stamp: FileStamp(inode: inode, size: 100, mtime: mtime),
            file: PreparedFile(
                DropFile(items: articles.enumerated().map { .init(position: $0.offset, content: .article($0.element)) })
            ))
    }

    private func article(_ title: String, _ body: String) -> Article {
        Article(title: title, body: body, outlet: "الأمصار", original: title + "\n" + body)
    }

    @Test func reingestingUnchangedContentChangesNothing() async throws {
        let item = parsed("/d/a.txt", [article("عنوان", "نص عن ليبيا")])
        let first = try await store.apply([item])
        #expect(first.changed.count == 1)
        let second = try await store.apply([item])
        #expect(second.changed.isEmpty)
        #expect(try await store.counts().articles == 1)
        #expect(try await store.search(SearchParameters(query: "ليبيا")).count == 1)
    }

    @Test func aModifiedFileUpdatesItsArticleInPlace() async throws {
        let id = try #require(
            try await store.apply([parsed("/d/a.txt", [article("عنوان", "النص الأول")])]).changed.first)
        let update = try await store.apply([parsed("/d/a.txt", [article("عنوان", "النص الثاني عن طرابلس")], mtime: 2)])
        #expect(update.changed == [id])
        #expect(try await store.counts().articles == 1)
        let hits = try await store.search(SearchParameters(query: "طرابلس"))
        #expect(hits.map(\.id) == [id])
        #expect(try await store.search(SearchParameters(query: "الأول")).isEmpty)
        // The index matches the stored rows exactly (FTS5 compares them term by term).
        try await store.pool.write {
            try $0.execute(sql: "INSERT INTO article_fts(article_fts, rank) VALUES ('integrity-check', 1)")
        }
    }

    /// A batch's index entries reach disk once, at commit, not as a segment per article.
    @Test func aBatchIsIndexedAsOneSegment() async throws {
        let items = (1...50).map {
            parsed("/d/\($0).txt", [article("خبر \($0)", "مقال رقم \($0) عن ليبيا")], inode: UInt64($0))
        }
        _ = try await store.apply(items)
        let segments = try await store.pool.read {
            try Int.fetchOne($0, sql: "SELECT count(DISTINCT segid) FROM article_fts_idx")
        }
        #expect(segments == 1)
        #expect(try await store.search(SearchParameters(query: "ليبيا", limit: 100, collapse: false)).count == 50)
    }

    @Test func theSameContentUnderTwoNamesIsOneArticleWithBothPaths() async throws {
        let text = article("خبر", "نص   مكرر\n\nعن بنغازي")
        let whitespaceVariant = article("خبر", "نص مكرر\n\n\nعن   بنغازي")
        let result = try await store.apply([
            parsed("/d/a.txt", [text]), parsed("/d/b.txt", [whitespaceVariant], inode: 2),
        ])
        #expect(result.changed.count == 1)
        let id = try #require(result.changed.first)
        let record = try #require(try await store.article(id: id))
        #expect(Set(record.sources.map(\.path)) == ["/d/a.txt", "/d/b.txt"])
    }

    @Test func aRemovedFileKeepsItsArticle() async throws {
        let id = try #require(
            try await store.apply([parsed("/d/sub/a.txt", [article("عنوان", "نص محفوظ")])]).changed.first)
        _ = try await store.apply([.gone(path: "/d/sub", tree: true)])
        let record = try #require(try await store.article(id: id))
        #expect(record.sources.allSatisfy { $0.gone })
        #expect(try await store.fileStamps().isEmpty)
        #expect(try await store.search(SearchParameters(query: "محفوظ")).map(\.id) == [id])
    }

    @Test func aTreeRemovalLeavesSiblingsWithACommonPrefixAlone() async throws {
        _ = try await store.apply([
            parsed("/d/a/x.txt", [article("أ", "نص أول")]), parsed("/d/ab/y.txt", [article("ب", "نص ثان")], inode: 2),
        ])
        _ = try await store.apply([.gone(path: "/d/a", tree: true)])
        #expect(Array(try await store.fileStamps().keys) == ["/d/ab/y.txt"])
    }

    @Test func rejectionsAreRecordedAndClearedWhenTheFileIsFixed() async throws {
        _ = try await store.apply([
            .rejected(path: "/d/bad.txt", stamp: FileStamp(inode: 3, size: 10, mtime: 1), reason: "not text")
        ])
        let rejections = try await store.rejections(limit: 10)
        #expect(rejections.map(\.reason) == ["not text"])
        #expect(rejections.first?.position == nil)
        _ = try await store.apply([parsed("/d/bad.txt", [article("عنوان", "نص سليم")], inode: 3, mtime: 2)])
        #expect(try await store.rejections(limit: 10).isEmpty)
    }

    @Test func aBadLineIsRejectedAloneWhileTheOthersAreKept() async throws {
        let file = DropFile(items: [
            .init(position: 1, content: .article(article("أول", "السطر الأول"))),
            .init(position: 2, content: .rejected(reason: "line 2: unterminated object")),
            .init(position: 3, content: .article(article("ثالث", "السطر الثالث"))),
        ])
        let result = try await store.apply([
            .parsed(path: "/d/x.jsonl", stamp: FileStamp(inode: 4, size: 1, mtime: 1), file: PreparedFile(file))
        ])
        #expect(result.changed.count == 2)
        #expect(try await store.rejections(limit: 10).map(\.position) == [2])
    }

    @Test func snippetsHighlightTheOriginalDiacritizedText() async throws {
        _ = try await store.apply([parsed("/d/a.txt", [article("عنوان", "وكانت المحادثات تعثّرت أكثر من مرة")])])
        let hit = try #require(try await store.search(SearchParameters(query: "تعثرت")).first)
        let span = try #require(hit.highlights.first)
        let scalars = Array(hit.snippet.unicodeScalars)
        let marked = String(String.UnicodeScalarView(scalars[span.start..<span.end]))
        #expect(marked == "تعثّرت")
    }

    /// A body whose query words never come together is read only to the passage the index found
    /// best (the first with the most of them), not to its end looking for a better one; and a body
    /// with none of them (a title match) shows its beginning.
    @Test func theIndexSaysWhereABodysBestPassageEnds() async throws {
        let filler = (1...200).map { "جملة\($0)" }.joined(separator: " ")
        let body =
            "في البداية وصل الوفد إلى الزاوية صباحا " + filler + " ثم الزاوية والزاوية والزاوية مرة أخرى " + filler
            + " وفي درنة"
        _ = try await store.apply([
            parsed("/d/a.txt", [article("خبر", body)]),
            parsed("/d/b.txt", [article("أخبار سبها", "نص " + filler)], inode: 2),
        ])
        let hit = try #require(try await store.search(SearchParameters(query: "درنة الزاوية")).first)
        #expect(hit.snippet.hasPrefix("في البداية"))
        #expect(hit.highlights.count == 1)
        let titleOnly = try #require(try await store.search(SearchParameters(query: "سبها")).first)
        #expect(titleOnly.snippet.hasPrefix("نص جملة1 "))
        #expect(titleOnly.highlights.isEmpty)
    }

    /// The words before a passage deep in a body are counted, not analyzed, to find where to start;
    /// a ligature of four words and a compound name count as the index counts them.
    @Test func aPassageDeepInABodyIsCutFromTheWordsAroundIt() async throws {
        let before = (1...100).map { "قال عبدالله ﷺ جملة\($0)" }.joined(separator: " ")
        let after = (1...300).map { "كلمة\($0)" }.joined(separator: " ")
        _ = try await store.apply([
            parsed("/d/a.txt", [article("خبر", before + " وصل الوفد إلى درنة ثم الزاوية صباحا " + after)])
        ])
        let hit = try #require(try await store.search(SearchParameters(query: "درنة الزاوية")).first)
        let scalars = Array(hit.snippet.unicodeScalars)
        let marked = hit.highlights.map { String(String.UnicodeScalarView(scalars[$0.start..<$0.end])) }
        #expect(marked == ["درنة", "الزاوية"])
        #expect(hit.snippet.hasPrefix("…") && hit.snippet.hasSuffix("…"))
        #expect(hit.snippet.split(separator: " ").count <= SnippetBuilder.width + 2)
    }

    /// A snippet marks every form the index matched (بمصر for مصر), so it shows the passage the index
    /// found best, not an earlier lone word; an excluded word is never marked.
    @Test func aSnippetMarksTheFormsTheIndexMatched() async throws {
        let filler = (1...200).map { "جملة\($0)" }.joined(separator: " ")
        _ = try await store.apply([
            parsed("/d/a.txt", [article("خبر", "زار الوفد مصر أمس " + filler + " ثم عاد بمصر بتونس " + filler)])
        ])
        func marked(_ query: String) async throws -> [String] {
            let hit = try #require(try await store.search(SearchParameters(query: query)).first)
            let scalars = Array(hit.snippet.unicodeScalars)
            return hit.highlights.map { String(String.UnicodeScalarView(scalars[$0.start..<$0.end])) }
        }
        #expect(try await marked("مصر تونس") == ["بمصر", "بتونس"])
        #expect(try await marked("مصر -ليبيا") == ["مصر"])
        #expect(try await marked("مصر title:خبر") == ["مصر"])
    }

    /// Only a long body's first 16 KB are searched for the passage; one found at their very end is
    /// cut there too, not shown with the rest of the body.
    @Test func aPassageAtTheEndOfTheScannedBytesIsStillCut() async throws {
        var words: [String] = []
        var bytes = 0
        while bytes < SnippetBuilder.scannedBytes + 5_000 {
            let word =
                bytes > SnippetBuilder.scannedBytes - 100 && !words.contains("درنة") ? "درنة" : "كلمة\(words.count)"
            words.append(word)
            bytes += word.utf8.count + 1
        }
        _ = try await store.apply([parsed("/d/a.txt", [article("خبر", words.joined(separator: " "))])])
        let hit = try #require(try await store.search(SearchParameters(query: "درنة")).first)
        #expect(hit.highlights.count == 1)
        #expect(hit.snippet.utf8.count < 1_000)
    }

    @Test func hostileQueriesGiveInvalidQueryNotACrash() async throws {
        _ = try await store.apply([parsed("/d/a.txt", [article("عنوان", "نص")])])
        for query in [
            "\"", "(", "-", "*", "NEAR(", "title:", "\u{0}", String(repeating: "ك ", count: 5000), "😀 AND OR",
        ] {
            do {
                _ = try await store.search(SearchParameters(query: query))
            } catch ArticleStore.SearchError.invalidQuery(let reason) {
                #expect(!reason.isEmpty)
            }
        }
    }

    @Test func datesFilterOnThePublicationDateOrTheIngestDay() async throws {
        var dated = article("مؤرخ", "خبر عن سرت")
        dated.date = ArticleDate(value: "2025-08-26T19:22", precision: .minute)
        _ = try await store.apply([
            parsed("/d/a.txt", [dated]), parsed("/d/b.txt", [article("غير مؤرخ", "خبر آخر عن سرت")], inode: 2),
        ])
        #expect(
            try await store.search(SearchParameters(query: "سرت", since: "2025-08-01", until: "2025-08-31")).map(
                \.title) == ["مؤرخ"])
        #expect(
            try await store.search(SearchParameters(query: "سرت", since: "2026-01-01")).map(\.title) == ["غير مؤرخ"])
        // An undated article shows the day it was ingested, flagged as such.
        let hits = try await store.search(SearchParameters(query: "سرت", collapse: false))
        let undated = try #require(hits.first { $0.title == "غير مؤرخ" })
        #expect(undated.dateIsIngest == true)
        // The ingest day is the store's own record of it: a test run across midnight still agrees.
        let ingested = try await store.pool.read { db in
            try String.fetchOne(
                db, sql: "SELECT date(ingestedAt, 'unixepoch') FROM article WHERE title = ?", arguments: ["غير مؤرخ"])
        }
        #expect(undated.date == ingested)
        #expect(undated.date?.count == 10)
        #expect(hits.first { $0.title == "مؤرخ" }?.dateIsIngest == nil)
        #expect(hits.first { $0.title == "مؤرخ" }?.date == "2025-08-26T19:22")
        await #expect(throws: ArticleStore.SearchError.self) {
            try await store.search(SearchParameters(query: "سرت", since: "yesterday"))
        }
    }

    @Test func theContentHashIsSHA256OfCollapsedText() {
        var sha = SHA256()
        sha.update(Array("abc".utf8))
        let hex = sha.finalize().map {
            String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16)
        }.joined()
        #expect(hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // FIPS 180-4's other examples: no byte, two blocks, a million bytes fed in uneven pieces.
        #expect(SHA256.hex(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var million = SHA256()
        for piece in [1, 63, 64, 65, 127, 1_000, 998_680] { million.update([UInt8](repeating: 0x61, count: piece)) }
        #expect(
            million.finalize().map { String(Int($0) + 0x100, radix: 16).dropFirst() }.joined()
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(ContentHash.of(text: " a\nb  c\n\nd") == ContentHash.of(text: "a b c d "))
        #expect(ContentHash.of(text: "a\nb c d") != ContentHash.of(text: "x\na\nb c d"))
        // Unicode's other spaces collapse too; a lone lead byte of one at the end stays.
        #expect(
            ContentHash.of(text: " a\u{00A0}b\u{2003}\u{3000}c\u{1680}\u{205F}d\u{2028}\u{85} ")
                == ContentHash.of(text: "a b c d"))
        #expect(ContentHash.of(text: "a\u{00C2}") != ContentHash.of(text: "a"))
    }

    /// A file that repeats a stored article with one more line, which parsing sets aside (a
    /// masthead's "آخر الأخبار"), is an article of its own, clustered with the one it repeats, and
    /// keeps its line: it used to be folded into the first as the same title and body. A file that
    /// differs in whitespace alone is the same article.
    @Test func aCopyWithAnotherLineIsAnArticleOfItsOwn() async throws {
        let body = (1...30).map { "الجملة \($0) من خبر عن اجتماع المجلس البلدي في مدينة درنة" }.joined(separator: " ")
        let text = "اجتماع المجلس البلدي\nالأحد 26 يوليو 2015 - 10:15 م\nصحيفة الاختبار\n\n\(body)\n"
        func file(_ path: String, _ text: String, inode: UInt64) throws -> IngestItem {
            .parsed(
                path: path, stamp: FileStamp(inode: inode, size: Int64(text.utf8.count), mtime: 1),
                file: PreparedFile(try DropFileParser().parse(Array(text.utf8), fileName: path)))
        }
        let result = try await store.apply([
            try file("/d/a.txt", text, inode: 1),
            try file("/d/b.txt", "آخر الأخبار\n" + text, inode: 2),
            try file("/d/c.txt", text.replacingOccurrences(of: "\n\n", with: "\n\n\n  "), inode: 3),
        ])
        let ids = Set(result.changed)
        #expect(ids.count == 2)
        #expect(try await store.counts().articles == 2)
        let first = try #require(try await store.article(id: ids.min()!))
        let second = try #require(try await store.article(id: ids.max()!))
        #expect(Set(first.sources.map(\.path)) == ["/d/a.txt", "/d/c.txt"])
        #expect(second.sources.map(\.path) == ["/d/b.txt"])
        // Parsed alike: only the text of the files tells them apart.
        #expect(second.title == first.title && second.body == first.body && second.outlet == first.outlet)
        #expect(second.original.hasPrefix("آخر الأخبار\n"))
        #expect(second.cluster == first.id)
    }

    /// Upgrading a store keys each article by its original text; of two with one text, the first.
    @Test func upgradingKeysArticlesByTheirText() async throws {
        var one = article("عنوان", "نص عن ليبيا")
        one.original = "آخر الأخبار\nعنوان\nنص عن ليبيا"
        let shared = StoredText(one.original).databaseValue
        let three = article("عنوان ثالث", "نص ثالث")
        _ = try await store.apply([
            parsed("/d/a.txt", [one]), parsed("/d/b.txt", [article("x", "y")], inode: 2),
            parsed("/d/c.txt", [three], inode: 3),
        ])
        try await store.pool.write { db in
            // Two articles of one text, as an older daemon could leave them, under the old keys.
            try db.execute(
                sql: "UPDATE article SET contentHash = 'old' || id, original = ? WHERE id = 2",
                arguments: [shared])
            try db.execute(sql: "UPDATE article SET contentHash = 'old' || id WHERE id <> 2")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v10 %'")
        }
        let reopened = try ArticleStore(path: folder + "/store.sqlite")
        let keys = try await reopened.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, contentHash FROM article ORDER BY id").map {
                [$0["id"] as Int64: $0["contentHash"] as String]
            }
        }
        #expect(keys[0][1] == ContentHash.of(text: one.original))
        #expect(keys[1][2] == "v9:2")
        #expect(keys[2][3] == ContentHash.of(text: three.original))
        // A new copy of the shared text joins the first.
        _ = try await reopened.apply([parsed("/d/d.txt", [one], inode: 4)])
        #expect(try await reopened.article(id: 1)?.sources.map(\.path).contains("/d/d.txt") == true)
        #expect(try await reopened.counts().articles == 3)
    }

    @Test func nearDuplicatesClusterAndCollapseInSearch() async throws {
        let story = (1...60).map { "الجملة رقم \($0) من خبر طويل عن اجتماع المجلس البلدي في مدينة درنة" }.joined(
            separator: " ")
        let edited = story.replacingOccurrences(of: "رقم 7 ", with: "رقم سبعة ")
        let other = (1...60).map { "فقرة \($0) من تقرير مختلف تماما عن الطقس والأمطار في طبرق" }.joined(separator: " ")
        let result = try await store.apply([
            parsed("/d/a.txt", [article("خبر درنة", story)]),
            parsed("/d/b.txt", [article("خبر درنة - نسخة", edited)], inode: 2),
            parsed("/d/c.txt", [article("طقس طبرق", other + " درنة")], inode: 3),
        ])
        #expect(result.changed.count == 3)
        let first = result.changed[0]
        let cluster = try #require(try await store.similar(id: first))
        #expect(cluster.count == 2)
        #expect(try await store.article(id: result.changed[1])?.cluster == first)
        #expect(try await store.article(id: result.changed[2])?.cluster == result.changed[2])
        let collapsed = try await store.search(SearchParameters(query: "درنة"))
        #expect(collapsed.count == 2)
        #expect(collapsed.contains { $0.duplicates == 1 })
        #expect(try await store.search(SearchParameters(query: "درنة", collapse: false)).count == 3)
    }

    @Test func exportPagesThroughEveryArticleInIdOrder() async throws {
        let items = (0..<450).map {
            parsed("/d/\($0).txt", [article("عنوان \($0)", "نص رقم \($0)")], inode: UInt64($0))
        }
        _ = try await store.apply(items)
        var after: Int64 = 0
        var seen: [Int64] = []
        while true {
            let page = try await store.export(after: after, limit: 200)
            guard let last = page.last else { break }
            seen += page.map(\.id)
            after = last.id
        }
        #expect(seen.count == 450)
        #expect(seen == seen.sorted())
    }

    @Test func longOriginalsAreCompressedAndComeBackWhole() async throws {
        let body = String(repeating: "نص طويل يتكرر في الأصل المحفوظ. ", count: 200)
        let original = "عنوان\n\n" + body + "\u{200F}"
        var long = article("عنوان", body)
        long.original = original
        let id = try #require(try await store.apply([parsed("/d/long.txt", [long])]).changed.first)
        #expect(try await store.article(id: id)?.original == original)
        let stored = try await store.pool.read { db in
            try DatabaseValue.fetchOne(db, sql: "SELECT original FROM article")
        }
        guard case .blob(let data)? = stored?.storage else {
            Issue.record("the long original was not compressed")
            return
        }
        #expect(data.count < original.utf8.count / 3)
    }

    @Test func allWordsRankFirstAndOneMisspelledWordIsTolerated() async throws {
        _ = try await store.apply([
            parsed("/d/all.txt", [article("الثلاثة", "اجتماع في طرابلس وبنغازي وسبها")]),
            parsed("/d/two.txt", [article("اثنتان", "اجتماع في طرابلس وبنغازي")], inode: 2),
            parsed("/d/one.txt", [article("واحدة", "اجتماع في طرابلس")], inode: 3),
        ])
        let all = try await store.search(SearchParameters(query: "طرابلس بنغازي سبها", collapse: false))
        #expect(all.first?.title == "الثلاثة")
        #expect(Set(all.map(\.title)) == ["الثلاثة", "اثنتان"], "an article with one word of three is not relevant")
        let misspelled = try await store.search(SearchParameters(query: "طرابلس بنغازي سبهاا", collapse: false))
        #expect(Set(misspelled.map(\.title)) == ["الثلاثة", "اثنتان"])
    }

    /// The word as typed, with or without a proclitic (للحكومة for الحكومة), ranks above another
    /// inflection of it.
    @Test func theExactFormRanksAboveAnotherInflection() async throws {
        _ = try await store.apply([
            parsed("/d/stem.txt", [article("خبر", "زيارة الحكومات إلى المدينة")]),
            parsed("/d/exact.txt", [article("خبر آخر", "زيارة الحكومة إلى المدينة")], inode: 2),
            parsed("/d/prefixed.txt", [article("خبر ثالث", "زيارة للحكومة في المدينة")], inode: 3),
        ])
        let singular = try await store.search(SearchParameters(query: "الحكومة", collapse: false))
        #expect(singular.count == 3, "every inflection matches")
        #expect(Set(singular.prefix(2).map(\.path)) == ["/d/exact.txt", "/d/prefixed.txt"])
        let plural = try await store.search(SearchParameters(query: "الحكومات", collapse: false))
        #expect(plural.count == 3)
        #expect(plural.first?.path == "/d/stem.txt")
    }

    @Test func aSearchOfOnlyCommonWordsListsTheNewestFirst() async throws {
        for index in 1...3 {
            _ = try await store.apply([
                parsed(
                    "/d/\(index).txt", [article("خبر \(index)", "كلام في السياسة رقم \(index)")], inode: UInt64(index))
            ])
        }
        let hits = try await store.search(SearchParameters(query: "في", collapse: false))
        #expect(hits.map(\.path) == ["/d/3.txt", "/d/2.txt", "/d/1.txt"])
    }

    @Test func mergingTheIndexLeavesOneSegmentAndTheSameResults() async throws {
        for index in 1...12 {
            _ = try await store.apply([
                parsed("/d/\(index).txt", [article("خبر \(index)", "مقال عن ليبيا رقم \(index)")], inode: UInt64(index))
            ])
        }
        func segments() async throws -> Int {
            try await store.pool.read {
                try Int.fetchOne($0, sql: "SELECT count(DISTINCT segid) FROM article_fts_idx") ?? 0
            }
        }
        #expect(try await segments() > 1)
        let before = try await store.search(SearchParameters(query: "ليبيا", limit: 50, collapse: false)).map(\.id)
        var steps = 0
        while try await store.mergeIndexStep(pages: 1) {
            steps += 1
            try #require(steps < 1000)
        }
        #expect(try await segments() == 1)
        let after = try await store.search(SearchParameters(query: "ليبيا", limit: 50, collapse: false)).map(\.id)
        #expect(Set(after) == Set(before))
        #expect(after.count == 12)
        #expect(try await store.mergeIndexStep(pages: 100) == false)
    }

    @Test func aWordInTooManyArticlesIsRankedAmongTheNewest() async throws {
        let strong = parsed("/d/0.txt", [article("ليبيا ليبيا ليبيا", "ليبيا ليبيا ليبيا")])
        let others = (1...30).map {
            parsed("/d/\($0).txt", [article("خبر \($0)", "مقال طويل رقم \($0) عن أحوال ليبيا")], inode: UInt64($0 + 1))
        }
        _ = try await store.apply([strong])
        _ = try await store.apply(others)
        let everything = try await store.search(SearchParameters(query: "ليبيا", limit: 5, collapse: false))
        #expect(everything.first?.path == "/d/0.txt", "all 31 matches are ranked")

        let narrow = try ArticleStore(path: folder + "/store.sqlite", rankedMatches: 5)
        let newest = try await narrow.search(SearchParameters(query: "ليبيا", limit: 50, collapse: false))
        #expect(!newest.isEmpty)
        #expect(newest.count < 31)
        #expect(newest.allSatisfy { $0.id > 20 }, "only a window of the newest articles is ranked: \(newest.map(\.id))")
    }

    /// Articles with only some of the words fill the page from a tenth as large a window.
    @Test func partialMatchesAreRankedAmongFewerOfTheNewest() async throws {
        let articles = (1...30).map {
            parsed("/d/\($0).txt", [article("خبر \($0)", "مقال رقم \($0) عن طرابلس")], inode: UInt64($0))
        }
        _ = try await store.apply(articles)
        let narrow = try ArticleStore(path: folder + "/store.sqlite", rankedMatches: 50)
        let all = try await narrow.search(SearchParameters(query: "طرابلس", limit: 50, collapse: false))
        #expect(all.count == 30, "30 full matches are within a window of 50")
        let partial = try await narrow.search(SearchParameters(query: "طرابلس سبها", limit: 50, collapse: false))
        #expect(!partial.isEmpty, "no article has both words, and those with one fill the page")
        #expect(partial.count < 30)
        #expect(partial.allSatisfy { $0.id > 20 }, "only the newest partial matches are ranked: \(partial.map(\.id))")
    }

    /// A store made before the lookup index (migration v5) gets it when opened, and searches, date
    /// filters and near-duplicate collapsing answer as before; the statements that need the index
    /// name it, so they fail rather than read article rows if it is ever missing.
    @Test func aStoreWithoutTheLookupIndexGetsItWhenOpened() async throws {
        var dated = article(
            "خبر درنة", (1...40).map { "الجملة \($0) عن اجتماع المجلس البلدي في درنة" }.joined(separator: " "))
        dated.date = ArticleDate(value: "2025-08-26", precision: .day)
        var copy = dated
        copy.title = "خبر درنة - نسخة"
        copy.original = copy.title + "\n" + copy.body
        _ = try await store.apply([parsed("/d/a.txt", [dated]), parsed("/d/b.txt", [copy], inode: 2)])
        let query = SearchParameters(query: "درنة", since: "2025-08-01")
        let before = try await store.search(query)
        #expect(before.count == 1 && before.first?.duplicates == 1)
        try await store.pool.write { db in
            try db.execute(sql: "DROP INDEX article_lookup")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v5 %'")
        }
        await #expect(throws: DatabaseError.self) { try await store.search(query) }
        let reopened = try ArticleStore(path: folder + "/store.sqlite")
        #expect(try await reopened.search(query) == before)
        let plan = try await reopened.pool.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "EXPLAIN QUERY PLAN SELECT id, coalesce(clusterId, id) FROM article INDEXED BY article_lookup WHERE id = 1"
            )
            .map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("COVERING INDEX article_lookup") })
    }

    /// An id far beyond the archive's size (a store edited by hand) is not sized into the array of
    /// lengths: its article's length is left to FTS5.
    @Test func aStrayIdDoesNotGrowTheLengthsArray() {
        let lengths = DocumentLengths()
        lengths.record([(id: 5, length: 10), (id: 5_000_000_000, length: 7)])
        #expect(lengths.snapshot().count == 6)
        #expect(lengths.snapshot()[5] == 10)
    }

    /// The path a hit shows is its article's first present source, read from one index.
    @Test func aHitShowsItsFirstPresentSourceFromOneIndex() async throws {
        let text = article("خبر", "نص عن سرت")
        _ = try await store.apply([parsed("/d/old.txt", [text], inode: 1)])
        _ = try await store.apply([parsed("/d/new.txt", [text], inode: 2)])
        #expect(try await store.search(SearchParameters(query: "سرت")).first?.path == "/d/old.txt")
        _ = try await store.apply([.gone(path: "/d/old.txt", tree: false)])
        #expect(try await store.search(SearchParameters(query: "سرت")).first?.path == "/d/new.txt")
        let plan = try await store.pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    EXPLAIN QUERY PLAN SELECT path FROM source s WHERE s.articleId = 1 ORDER BY s.gone, s.firstSeen LIMIT 1
                    """
            ).map { $0["detail"] as String }
        }
        #expect(plan == ["SEARCH s USING COVERING INDEX source_shown (articleId=?)"])
    }

    /// A search's new phrases are counted together in one statement: each count must be the one a
    /// statement of its own gives, for words, stems, prefixes, repeats and phrases no article has.
    @Test func phrasesCountedTogetherMatchTheirOwnCounts() async throws {
        _ = try await store.apply([
            parsed("/d/1.txt", [article("طرابلس اليوم", "اجتمع الوزير في طرابلس مع الوزراء")], inode: 1),
            parsed("/d/2.txt", [article("بنغازي", "وصل الوزير إلى بنغازي")], inode: 2),
            parsed("/d/3.txt", [article("سرت", "هدوء في سرت")], inode: 3),
        ])
        // "،" is punctuation alone: a phrase of no terms, which FTS5 may leave out of the phrases it numbers.
        let phrases = [
            #""الوزير""#, #""طرابلس""#, #""غدامس""#, #""الوز"*"#, #""الوزير""#, #""،""#, #""سرت""#, #""في سرت""#,
        ]
        let (together, own): ([Int64], [Int64]) = try await store.pool.read { db in
            var zeros = Set<String>()
            let together = try PhraseCounts().counts(db, phrases: phrases, zeros: &zeros).counts
            #expect(zeros == [#""غدامس""#, #""،""#])
            let own = try phrases.map {
                try Int64.fetchOne(
                    db, sql: "SELECT count(*) FROM article_fts WHERE article_fts MATCH ?", arguments: [$0]) ?? -1
            }
            return (together, own)
        }
        #expect(together == own)
        #expect(own == [2, 1, 0, 2, 2, 0, 1, 1])
        // No phrase in any article: the statement has no row, and every count is zero.
        let none = try await store.pool.read { db in
            var zeros = Set<String>()
            return try PhraseCounts().counts(db, phrases: [#""غدامس""#, #""زوارة""#], zeros: &zeros).counts
        }
        #expect(none == [0, 0])
    }

    /// A phrase in more articles than the sample is counted one further and scaled by the share of ids
    /// its sample covered; one within the sample is exact, and only exact counts are offered to
    /// `Terms`.
    @Test func phrasesBeyondTheSampleAreEstimated() async throws {
        // الوزير is in articles 1, 2, 3 and 6 of 6; طرابلس in 1 and 4.
        let titles = ["الوزير في طرابلس", "الوزير", "الوزير", "طرابلس", "هدوء", "الوزير"]
        _ = try await store.apply(
            titles.enumerated().map { index, title in
                parsed("/d/\(index).txt", [article(title, "نص رقم \(index)")], inode: UInt64(index + 1))
            })
        let counts = PhraseCounts(sample: 2)
        let (found, newest) = try await store.pool.read { db in
            var zeros = Set<String>()
            let found = try counts.counts(db, phrases: [#""الوزير""#, #""طرابلس""#], zeros: &zeros)
            return (found.counts, found.newest)
        }
        #expect(newest == 6)
        // Its third match, one more than the sample, is article 3: three in half the ids, six in all of
        // them. طرابلس has no more matches than the sample.
        #expect(found == [6, 2])
        #expect(counts.known([#""الوزير""#, #""طرابلس""#], archive: 6) == [nil, 2])
        // The estimate is kept for the next search, and an exact count replaces it.
        let again = try await store.pool.read { db in
            var zeros = Set<String>()
            return try counts.counts(db, phrases: [#""الوزير""#], zeros: &zeros).counts
        }
        #expect(again == [6])
        counts.remember([#""الوزير""#: 4])
        #expect(counts.known([#""الوزير""#], archive: 6) == [4])
    }

    /// The ranking function takes articles' lengths from memory: they must be FTS5's own, after a
    /// batch, after an article is rewritten, and when a store is opened again. Lengths of 1, 2 and 3
    /// bytes in FTS5's encoding are covered.
    @Test func articleLengthsInMemoryAreTheIndexsOwn() async throws {
        func words(_ count: Int) -> String { (1...count).map { "كلمة\($0 % 50)" }.joined(separator: " ") }
        let items = [3, 200, 20_000].enumerated().map { index, count in
            parsed("/d/\(index).txt", [article("عنوان \(index)", "ليبيا " + words(count))], inode: UInt64(index + 1))
        }
        _ = try await store.apply(items)
        _ = try await store.apply([parsed("/d/1.txt", [article("عنوان 1", "ليبيا " + words(90))], inode: 2, mtime: 2)])

        // FTS5's answer: xColumnSize through an auxiliary function on a connection of our own.
        let queue = try DatabaseQueue(path: folder + "/store.sqlite")
        let indexed: [Int64: Int32] = try await queue.write { db in
            FullTextIndex.register(on: db)
            let api = UnsafeMutablePointer(mutating: FTS5.api(db))
            _ = api.pointee.xCreateFunction(
                api, "test_length", nil,
                { api, fts, context, _, _ in
                    var length: Int32 = 0
                    _ = api!.pointee.xColumnSize(fts, -1, &length)
                    sqlite3_result_int(context, length)
                }, nil)
            var lengths: [Int64: Int32] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT rowid, test_length(article_fts) FROM article_fts WHERE article_fts MATCH 'ليبيا'")
            {
                lengths[row[0]] = row[1]
            }
            return lengths
        }
        try queue.close()
        #expect(indexed.count == 3)
        #expect(indexed.values.contains { $0 > 16_384 })
        let reopened = try ArticleStore(path: folder + "/store.sqlite")
        for lengths in [store.documentLengths.snapshot(), reopened.documentLengths.snapshot()] {
            for (id, length) in indexed {
                #expect(Int(id) < lengths.count && lengths[Int(id)] == length, "article \(id)")
            }
        }
    }
}
