import AkhbarProtocol
import Articles
import Foundation
import GRDB
import Testing

@testable import AkhbarStore

/// Article ids are handed to clients (links, cursors, watches), so an id must never name a second
/// article: not after an upgrade, and not after a crash lost the newest rows.
@Suite("Article ids")
struct ArticleIdTests {
    let temporary: TemporaryFolder
    var folder: String { temporary.path }
    var path: String { folder + "/store.sqlite" }

    init() throws {
        temporary = try TemporaryFolder("akhbar-ids")
    }

    private func parsed(_ name: String, title: String, body: String, inode: UInt64) -> IngestItem {
        let article = Article(title: title, body: body, outlet: "الأمصار", original: title + "\n" + body)
        return .parsed(
            path: "/d/\(name)", stamp: FileStamp(inode: inode, size: 100, mtime: 1),
            file: PreparedFile(DropFile(items: [.init(position: 0, content: .article(article))])))
    }

    /// Three articles, the newest about Sirte; returns their ids in order.
    private func ingestThree(into store: ArticleStore) async throws -> [Int64] {
        var ids: [Int64] = []
        let texts = [("خبر بنغازي", "نص عن بنغازي"), ("خبر درنة", "نص عن درنة"), ("خبر سرت", "نص عن سرت")]
        for (number, (title, body)) in texts.enumerated() {
            let item = parsed("\(number).txt", title: title, body: body, inode: UInt64(number + 1))
            ids += try await store.apply([item]).changed
        }
        return ids
    }

    /// The same three articles written into a store of an old schema as that schema's writer did:
    /// today's writer needs today's tables.
    private func writeThree(into store: ArticleStore) async throws -> [Int64] {
        let texts = [("خبر بنغازي", "نص عن بنغازي"), ("خبر درنة", "نص عن درنة"), ("خبر سرت", "نص عن سرت")]
        return try await store.pool.write { db in
            var ids: [Int64] = []
            for (number, (title, body)) in texts.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO article(contentHash, title, body, outlet, original, ingestedAt, updatedAt)
                        VALUES (?, ?, ?, 'الأمصار', ?, 1, 1)
                        """, arguments: ["old\(number)", title, body, title + "\n" + body])
                let id = db.lastInsertedRowID
                try db.execute(
                    sql:
                        "INSERT INTO article_fts(rowid, title, body, outlet, author) VALUES (?, ?, ?, 'الأمصار', NULL)",
                    arguments: [id, title, body])
                try db.execute(
                    sql: "INSERT INTO source(path, position, articleId, firstSeen, gone) VALUES (?, 0, ?, 1, 0)",
                    arguments: ["/d/\(number).txt", id])
                try db.execute(
                    sql: "INSERT INTO file(path, inode, size, mtime, seenAt) VALUES (?, ?, 100, 1, 1)",
                    arguments: ["/d/\(number).txt", number + 1])
                ids.append(id)
            }
            return ids
        }
    }

    /// Deletes the newest article and what points at it, as a crash that lost the log's tail leaves
    /// the store: the article was never committed as far as the file on disk knows.
    private func loseNewest(of store: ArticleStore) async throws -> Int64 {
        try await store.pool.write { db in
            let newest = try #require(try Int64.fetchOne(db, sql: "SELECT max(id) FROM article"))
            try db.execute(
                sql: """
                    INSERT INTO article_fts(article_fts, rowid, title, body, outlet, author)
                        SELECT 'delete', id, title, body, outlet, author FROM article WHERE id = ?
                    """,
                arguments: [newest])
            try db.execute(sql: "DELETE FROM simhash_band WHERE articleId = ?", arguments: [newest])
            try db.execute(
                sql: "DELETE FROM file WHERE path IN (SELECT path FROM source WHERE articleId = ?)",
                arguments: [newest])
            try db.execute(sql: "DELETE FROM source WHERE articleId = ?", arguments: [newest])
            try db.execute(sql: "DELETE FROM article WHERE id = ?", arguments: [newest])
            return newest
        }
    }

    private func schema(of table: String, in store: ArticleStore) async throws -> String {
        try await store.pool.read { db in
            try String.fetchOne(
                db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table]) ?? ""
        }
    }

    @Test("a store of the old schema keeps its ids, indexes and search when migrated")
    func migrationKeepsIdsAndSearch() async throws {
        var before: [Int64] = []
        do {
            let old = try ArticleStore(
                path: path, rankedMatches: 1_000, walLimits: .standard, migratedUpTo: "v6 sources in the order shown")
            before = try await writeThree(into: old)
            #expect(try await !schema(of: "article", in: old).contains("AUTOINCREMENT"), "the old schema has it")
        }
        #expect(before.count == 3)

        let store = try ArticleStore(path: path)
        #expect(try await schema(of: "article", in: store).contains("AUTOINCREMENT"))
        for (word, id) in zip(["بنغازي", "درنة", "سرت"], before) {
            let hits = try await store.search(SearchParameters(query: word))
            #expect(hits.map(\.id) == [id], "\(word)")
            #expect(hits.first?.snippet.contains(word) == true, "the index cannot read the text for \(word)")
        }
        let (indexes, sequence, problems) = try await store.pool.write { db in
            let indexes = try String.fetchSet(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'article'")
            let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'article'")
            let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_sequence") ?? 0
            // FTS5 compares its index with the rows of `article` term by term.
            try db.execute(sql: "INSERT INTO article_fts(article_fts, rank) VALUES ('integrity-check', 1)")
            let problems =
                try String.fetchAll(db, sql: "PRAGMA integrity_check")
                + Row.fetchAll(db, sql: "PRAGMA foreign_key_check").map { "\($0)" }
            return (indexes, rows == 1 ? sequence : nil, problems)
        }
        let expected: Set = ["article_updatedAt", "article_date", "article_clusterId", "article_lookup"]
        #expect(indexes.isSuperset(of: expected), "\(indexes)")
        #expect(sequence == before.max(), "sqlite_sequence should hold the highest id once")
        #expect(problems == ["ok"])

        let lost = try await loseNewest(of: store)
        let newcomer = parsed("new.txt", title: "خبر مصراتة", body: "نص عن مصراتة", inode: 9)
        let next = try await store.apply([newcomer]).changed
        #expect(next.count == 1 && next[0] > lost, "the lost id \(lost) was given again: \(next)")
        #expect(try await store.search(SearchParameters(query: "مصراتة")).map(\.id) == next)
    }

    @Test("a new store never gives the id of a lost newest article again")
    func lostIdsAreNotReused() async throws {
        let store = try ArticleStore(path: path)
        let ids = try await ingestThree(into: store)
        let lost = try await loseNewest(of: store)
        #expect(lost == ids.last)
        let reopened = try ArticleStore(path: path)
        let newcomer = parsed("new.txt", title: "خبر مصراتة", body: "نص عن مصراتة", inode: 9)
        let next = try await reopened.apply([newcomer]).changed
        #expect(next == [lost + 1], "the lost id \(lost) was given again: \(next)")
    }
}
