import AkhbarProtocol
import Articles
import Foundation
import GRDB
import Testing

@testable import AkhbarStore

/// Each source's own bytes and metadata, kept beside the article its text is.
struct SourceFileTests {
    let temporary: TemporaryFolder
    var folder: String { temporary.path }
    let store: ArticleStore

    init() throws {
        temporary = try TemporaryFolder("akhbar-sources")
        store = try ArticleStore(path: temporary.path + "/store.sqlite")
    }

    private static let body = (1...30).map { "الجملة \($0) من خبر عن اجتماع المجلس البلدي في مدينة درنة" }
        .joined(separator: " ")

    private func file(_ path: String, _ bytes: [UInt8], inode: UInt64, mtime: Int64 = 1) throws -> IngestItem {
        .parsed(
            path: path, stamp: FileStamp(inode: inode, size: Int64(bytes.count), mtime: mtime),
            file: PreparedFile(try DropFileParser().parse(bytes, fileName: path), bytes: bytes))
    }

    /// The source of `id` found at `path`, numbered as `show` numbers it.
    private func number(of path: String, in id: Int64) async throws -> Int {
        let sources = try #require(try await store.article(id: id)).sources
        return try #require(sources.firstIndex { $0.path == path }) + 1
    }

    /// FTS5's check of the index; with `againstArticles`, also that it holds exactly the article
    /// table's text, which is true again once no copy names another outlet or author.
    private func integrityCheck(againstArticles: Bool) async throws {
        try await store.pool.write {
            try $0.execute(
                sql: "INSERT INTO article_fts(article_fts, rank) VALUES ('integrity-check', ?)",
                arguments: [againstArticles ? 1 : 0])
        }
    }

    @Test func everyKindOfFileComesBackByteForByte() async throws {
        let text = "اجتماع المجلس البلدي\nالأحد 26 يوليو 2015 - 10:15 م\nصحيفة الاختبار\n\n\(Self.body)"
        func variant(_ n: Int) -> String { text.replacingOccurrences(of: "الجملة 1 ", with: "الجملة \(n)0 ") }
        let utf16: [UInt8] = [0xFF, 0xFE] + variant(6).utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let json = #"{"title": "عنوان الخبر", "body": "نص الخبر عن طرابلس", "source": "الوسط"}"#
        let files: [(path: String, bytes: [UInt8], whole: Bool)] = [
            ("/d/plain.txt", Array(variant(1).utf8), false),
            ("/d/newline.txt", Array((variant(2) + "\n").utf8), false),
            (
                "/d/bom-crlf.txt",
                [0xEF, 0xBB, 0xBF] + Array((variant(3) + "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8), false
            ),
            ("/d/cp1256.txt", try #require(Windows1256.encode(variant(4) + "\n")), false),
            ("/d/one.json", Array((json + "\n").utf8), false),
            (
                "/d/many.jsonl",
                Array((json + "\n" + json.replacingOccurrences(of: "طرابلس", with: "بنغازي") + "\n").utf8), true
            ),
            ("/d/utf16.txt", utf16, true),
            ("/d/indented.json", Array(("\n  " + json + "\n").utf8), true),
        ]
        let result = try await store.apply(
            files.enumerated().map { try file($0.element.path, $0.element.bytes, inode: UInt64($0.offset + 1)) })
        for (path, bytes, _) in files {
            let ids = try #require(result.articles[path])
            for id in ids {
                let dropped = try await store.droppedFile(id: id, source: try await number(of: path, in: id))
                #expect(dropped.bytes == bytes, "\(path)")
                #expect(dropped.source.path == path && dropped.source.size == bytes.count)
            }
        }
        let kept = try await store.pool.read { db in
            try Set(String.fetchAll(db, sql: "SELECT DISTINCT path FROM source WHERE rawFile IS NOT NULL"))
        }
        #expect(kept == Set(files.filter(\.whole).map(\.path)))
        let keptFiles = try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM raw_file") }
        #expect(keptFiles == 3)

        // The same file under another name is kept once; a changed file drops content no source has.
        let many = try #require(files.first { $0.path == "/d/many.jsonl" }).bytes
        _ = try await store.apply([try file("/d/again.jsonl", many, inode: 20)])
        #expect(try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM raw_file") } == 3)
        _ = try await store.apply([try file("/d/utf16.txt", Array(variant(8).utf8), inode: 7, mtime: 2)])
        #expect(try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM raw_file") } == 2)
    }

    @Test func unknownSourcesAndUnkeptFilesAreErrors() async throws {
        let bytes = Array("عنوان\n\n\(Self.body)".utf8)
        let id = try #require(try await store.apply([try file("/d/a.txt", bytes, inode: 1)]).changed.first)
        await #expect(throws: ArticleStore.DroppedFileError.sourceNotFound(id: id, source: 2, sources: 1)) {
            try await store.droppedFile(id: id, source: 2)
        }
        await #expect(throws: ArticleStore.DroppedFileError.articleNotFound(id + 1)) {
            try await store.droppedFile(id: id + 1, source: 1)
        }
        // As a source recorded before the store kept files.
        try await store.pool.write { try $0.execute(sql: "UPDATE source SET rawForm = NULL, rawFile = NULL") }
        await #expect(throws: ArticleStore.DroppedFileError.notKept(id: id, source: 1)) {
            try await store.droppedFile(id: id, source: 1)
        }
        #expect(try await store.article(id: id)?.sources.first?.size == nil)
    }

    /// Copies of one text whose line breaks differ parse to other metadata: each keeps its own, and
    /// filters and queries on outlet and author find the article through any of them.
    @Test func aCopyKeepsItsOwnMetadata() async throws {
        let head = "اجتماع المجلس البلدي\nالأحد 26 يوليو 2015 - 10:15 م\n"
        let first = head + "سالم أحمد\nصحيفة الاختبار\n\n\(Self.body)\n"
        let joined = head + "سالم أحمد صحيفة الاختبار\n\n\(Self.body)\n"
        let undated = "اجتماع المجلس البلدي\nالأحد 26 يوليو 2015 - 10:15 م سالم أحمد\nصحيفة الاختبار\n\n\(Self.body)\n"
        let result = try await store.apply([
            try file("/d/a.txt", Array(first.utf8), inode: 1), try file("/d/b.txt", Array(joined.utf8), inode: 2),
            try file("/d/c.txt", Array(undated.utf8), inode: 3),
        ])
        let id = try #require(result.changed.first)
        #expect(result.changed.count == 1)
        let article = try #require(try await store.article(id: id))
        #expect(article.outlet == "صحيفة الاختبار" && article.author == "سالم أحمد")
        let stated = article.sources.map { [$0.path, $0.outlet, $0.author, $0.date] }
        #expect(
            stated == [
                ["/d/a.txt", "صحيفة الاختبار", "سالم أحمد", "2015-07-26T22:15"],
                ["/d/b.txt", "سالم أحمد صحيفة الاختبار", nil, "2015-07-26T22:15"],
                ["/d/c.txt", nil, nil, nil],
            ])
        // Each copy's bytes are its own, though the article's original is the first's.
        #expect(try await store.droppedFile(id: id, source: 2).bytes == Array(joined.utf8))
        #expect(try await store.droppedFile(id: id, source: 3).bytes == Array(undated.utf8))

        let other = "سالم أحمد صحيفة الاختبار"
        #expect(try await store.count(CountParameters(by: .month, outlet: other)).total == 1)
        #expect(try await store.count(CountParameters(query: "درنة", by: .outlet, outlet: other)).total == 1)
        #expect(try await store.count(CountParameters(by: .month, outlet: "صحيفة الاختبار")).total == 1)
        #expect(try await store.search(SearchParameters(query: "outlet:سالم درنة")).map(\.id) == [id])
        #expect(try await store.search(SearchParameters(query: "author:سالم درنة")).map(\.id) == [id])
        try await integrityCheck(againstArticles: false)

        // The copy changes into another text: it leaves the article, and so does its outlet.
        _ = try await store.apply([try file("/d/b.txt", Array("خبر آخر\n\nنص مختلف تماما".utf8), inode: 2, mtime: 2)])
        #expect(try await store.count(CountParameters(by: .month, outlet: other)).total == 0)
        #expect(try await store.search(SearchParameters(query: "outlet:سالم درنة")).isEmpty)
        #expect(try await store.article(id: id)?.sources.map(\.path) == ["/d/a.txt", "/d/c.txt"])
        // Every removal from the index gave it exactly the text it had been given.
        try await integrityCheck(againstArticles: true)
    }

    /// A store from before sources kept their files: the upgrade marks every file changed, so the
    /// next start reads it again, which keeps its bytes and changes no article.
    @Test func upgradingReadsEveryFileAgainToKeepItsBytes() async throws {
        let bytes = Array("عنوان\n\n\(Self.body)\n".utf8)
        let item = try file("/d/a.txt", bytes, inode: 1)
        let id = try #require(try await store.apply([item]).changed.first)
        try await store.pool.write { db in
            // Back to the schema before: no kept bytes, no source metadata.
            try db.execute(
                sql: """
                    DROP INDEX source_rawFile;
                    ALTER TABLE source DROP COLUMN rawForm;
                    ALTER TABLE source DROP COLUMN rawFile;
                    DROP TABLE raw_file;
                    DROP TABLE source_meta;
                    DELETE FROM grdb_migrations WHERE identifier LIKE 'v11 %';
                    """)
        }
        let reopened = try ArticleStore(path: folder + "/store.sqlite")
        #expect(try await reopened.fileStamps()["/d/a.txt"] != FileStamp(inode: 1, size: Int64(bytes.count), mtime: 1))
        await #expect(throws: ArticleStore.DroppedFileError.notKept(id: id, source: 1)) {
            try await reopened.droppedFile(id: id, source: 1)
        }
        let again = try await reopened.apply([item])
        #expect(again.changed.isEmpty)
        #expect(try await reopened.droppedFile(id: id, source: 1).bytes == bytes)
    }
}
