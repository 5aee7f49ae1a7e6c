import GRDB
import Synchronization

/// Every article's length in tokens, as FTS5 records it, held in memory for the ranking function.
///
/// BM25 weighs a match by the article's length, and FTS5 answers `xColumnSize` with a lookup in its
/// `docsize` table: one B-tree search for each of the up to a thousand matches a search ranks, over a
/// quarter of the ranking statement's time. Here a length is an array read. The array is filled from
/// `docsize` when the store opens and from each batch's rows after it commits; an article not yet in
/// it (or from a transaction that did not commit) is looked up by FTS5 as before, so the cache can
/// only ever be late, never wrong for long: a rewritten article's new length replaces the old one at
/// the commit that rewrote it.
final class DocumentLengths: Sendable {
    /// Lengths by article id; 0 where unknown (no article has zero tokens: the title is never empty).
    private let lengths = Mutex<[Int32]>([])

    /// The current lengths, for one search: a copy is as cheap as a retain until the writer next
    /// adds to the array.
    func snapshot() -> [Int32] {
        lengths.withLock { $0 }
    }

    /// Reads the lengths of `ids` (all articles when nil) from FTS5's `docsize` table, to pass to
    /// ``record(_:)`` once the transaction `db` is in has committed.
    static func read(_ db: Database, ids: [Int64]?) throws -> [(id: Int64, length: Int32)] {
        let rows: RowCursor
        if let ids {
            guard !ids.isEmpty else { return [] }
            rows = try Row.fetchCursor(
                db.cachedStatement(
                    sql: "SELECT id, sz FROM article_fts_docsize WHERE id IN (SELECT value FROM json_each(?))"),
                arguments: [ArticleStore.jsonArray(ids)])
        } else {
            rows = try Row.fetchCursor(db, sql: "SELECT id, sz FROM article_fts_docsize")
        }
        var found: [(id: Int64, length: Int32)] = []
        while let row = try rows.next() {
            let id: Int64 = row[0]
            guard let length = try row.withUnsafeData(atIndex: 1, { $0.flatMap(total(ofSizes:)) }) else { continue }
            found.append((id, length))
        }
        return found
    }

    func record(_ found: [(id: Int64, length: Int32)]) {
        lengths.withLock { lengths in
            // Ids are handed out one by one, so they stay near the number of articles; an id far
            // beyond (a store edited by hand) is left to FTS5 rather than sized into the array.
            let limit = Int64(2 * (lengths.count + found.count) + 1_000_000)
            let kept = found.filter { $0.id > 0 && $0.id < limit }
            guard let highest = kept.map(\.id).max() else { return }
            if highest >= lengths.count {
                lengths.append(contentsOf: repeatElement(0, count: Int(highest) + 1 - lengths.count))
            }
            for (id, length) in kept { lengths[Int(id)] = length }
        }
    }

    /// The sum of a `docsize` blob's column sizes: one SQLite varint per column, as FTS5 writes them
    /// (`xColumnSize` with column -1 adds them up the same way); nil for a malformed blob.
    static func total(ofSizes blob: some Collection<UInt8>) -> Int32? {
        var total: Int64 = 0
        var iterator = blob.makeIterator()
        while let first = iterator.next() {
            var value = Int64(first & 0x7F)
            var byte = first
            var read = 1
            while byte & 0x80 != 0 {
                guard let next = iterator.next() else { return nil }
                read += 1
                byte = next
                // The ninth byte of an SQLite varint carries eight bits, not seven.
                value = read == 9 ? value << 8 | Int64(byte) : value << 7 | Int64(byte & 0x7F)
                if read == 9 { break }
            }
            total += value
            guard total <= Int64(Int32.max) else { return nil }
        }
        return Int32(total)
    }
}
