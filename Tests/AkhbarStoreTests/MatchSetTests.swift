import AkhbarProtocol
import Foundation
import GRDB
import Testing

@testable import AkhbarStore

/// An article's matches packed in one row: what is written is what is read, the tallies kept in
/// memory come back after a reopen that never wrote them, and a store of one row a match upgrades
/// with every cursor and chain as it was.
struct MatchSetTests {
    let temporary: TemporaryFolder
    var folder: String { temporary.path }

    init() throws {
        temporary = try TemporaryFolder("akhbar-match-sets")
    }

    @Test func packedEntriesDecodeAsWritten() {
        let entries: [MatchSet.Entry] = [
            .init(watch: 7, isCopy: false, previous: nil),
            .init(watch: 3, isCopy: true, previous: 1),
            .init(watch: 90_000, isCopy: false, previous: 999_999),
            .init(watch: Int64(Int32.max) * 4, isCopy: true, previous: nil),
            .init(watch: 1, isCopy: false, previous: 1_000_001),
        ]
        let set = MatchSet(cursor: 1_000_000, article: 42, at: 1.5, entries: entries)
        let decoded = MatchSet(cursor: set.cursor, article: 42, at: 1.5, packed: set.packed)
        #expect(decoded == set)
        #expect(decoded.end == 1_000_005)
        // A blob cut short yields the whole entries before the cut, never a made-up one.
        let cut = MatchSet(cursor: set.cursor, article: 42, at: 1.5, packed: set.packed.dropLast())
        #expect(cut.entries == Array(entries.dropLast()))
    }

    @Test func talliesComeBackAfterAReopenThatNeverWroteThem() async throws {
        let path = folder + "/store.sqlite"
        var before: [WatchInfo] = []
        var latest: [Int64] = []
        var cursor: Int64 = 0
        do {
            let store = try ArticleStore(path: path)
            _ = try await store.addWatch(name: "tripoli", query: "طرابلس", note: nil)
            _ = try await store.addWatch(name: "either", query: "طرابلس OR مصراتة", note: nil)
            _ = try await store.addWatch(name: "gone", query: "مصراتة", note: nil)
            for index in QuerySemanticsTests.articles.indices {
                _ = try await store.apply([WatchMatchingTests.item(index)])
            }
            try await store.removeWatch(name: "gone")
            before = try await store.watches()
            latest = try await store.latestMatches(of: "either", copies: true, limit: 10).map(\.cursor)
            cursor = try await store.lastMatchCursor()
            // An idle moment writes them; the rows then agree with memory.
            try await store.writeWatchTallies()
            let written = try await store.pool.read { db in
                try Int.fetchAll(db, sql: "SELECT matchCount FROM watch ORDER BY name")
            }
            #expect(written == before.map(\.matches))
            // As after a crash before the tallies were ever written: a start must count every set.
            try await store.pool.write { db in
                try db.execute(sql: "UPDATE watch SET matchCount = 0, lastSeq = NULL, lastMatchAt = NULL")
                try db.execute(sql: "UPDATE match_state SET tallied = 1")
            }
        }
        #expect(before.map(\.matches) == [4, 3], "either, tripoli")
        #expect(before.allSatisfy { $0.lastMatch != nil })
        let store = try ArticleStore(path: path)
        #expect(try await store.watches() == before)
        #expect(try await store.lastMatchCursor() == cursor, "the removed watch's cursors are not given again")
        #expect(try await store.latestMatches(of: "either", copies: true, limit: 10).map(\.cursor) == latest)
        #expect(latest.count == 4 && latest == latest.sorted(by: >))
    }

    @Test func aStoreOfOneRowAMatchUpgradesWithItsCursors() async throws {
        let path = folder + "/old.sqlite"
        do {
            let old = try ArticleStore(
                path: path, rankedMatches: 1_000, walLimits: .standard,
                migratedUpTo: "v11 every source's own bytes and metadata")
            _ = try await old.apply(QuerySemanticsTests.articles.indices.map { WatchMatchingTests.item($0) })
            // Watch 1 matched articles 1 and 2, watch 2 article 1; a removed watch's match (seq 4)
            // and the newest one (seq 7, gone with its batch) left gaps.
            try await old.pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO watch(id, name, query, createdAt, matchCount, lastSeq, lastMatchAt)
                        VALUES (1, 'tripoli', 'طرابلس', 1, 2, 5, 20), (2, 'misrata', 'مصراتة', 1, 1, 2, 10);
                        INSERT INTO watch_match(seq, watchId, articleId, isCopy, at, previous) VALUES
                            (1, 1, 1, 0, 10, NULL), (2, 2, 1, 0, 10, NULL), (3, 3, 1, 0, 10, NULL),
                            (5, 1, 2, 1, 20, 1), (6, 3, 3, 0, 20, NULL), (7, 3, 4, 0, 30, NULL);
                        DELETE FROM watch_match WHERE seq = 7;
                        """)
            }
        }
        let store = try ArticleStore(path: path)
        let all = try await store.watchMatches(after: 0, ids: nil, copies: true, limit: 100)
        #expect(all.map(\.cursor) == [1, 2, 5], "watch 3 is not saved: its matches are not shown")
        #expect(all.map(\.watch) == ["tripoli", "misrata", "tripoli"])
        #expect(all.map(\.copy) == [nil, nil, true])
        let after = try await store.watchMatches(after: 2, ids: nil, copies: true, limit: 100)
        #expect(after.map(\.cursor) == [5])
        let chain = try await store.latestMatches(of: "tripoli", copies: true, limit: 10)
        #expect(chain.map(\.cursor) == [5, 1])
        #expect(try await store.watches().map(\.matches) == [1, 2], "misrata, tripoli")
        #expect(try await store.lastMatchCursor() == 7, "the highest cursor ever given stays given")
        // New matches go on after it.
        _ = try await store.apply([WatchMatchingTests.item(0, name: "tripoli-again", body: "وصل الوفد إلى طرابلس")])
        let newest = try await store.watchMatches(after: 7, ids: nil, copies: true, limit: 10)
        #expect(newest.map(\.cursor) == [8])
        #expect(try await store.latestMatches(of: "tripoli", copies: true, limit: 10).map(\.cursor) == [8, 5, 1])
    }
}
