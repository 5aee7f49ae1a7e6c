import Foundation
import GRDB

/// The watches one article matched in one batch: one row of `match_set`, however many watches.
///
/// A bulk ingest with ten thousand watches records a hundred matches an article or more; a row and
/// an index entry for each match made the writer spend most of its time on them. A set holds them
/// packed instead, and numbers them with consecutive cursors from its own key: the k-th match has
/// cursor `cursor + k`. The next set starts after the last cursor given, so cursors still rise with
/// every match and are never given twice.
struct MatchSet: Sendable, Equatable {
    /// One match of the set.
    struct Entry: Sendable, Equatable {
        var watch: Int64
        /// Whether an earlier match of the same watch is a near-duplicate of this article.
        var isCopy: Bool
        /// The cursor of the watch's match before this one: the chain `watch show` walks back.
        var previous: Int64?
    }

    /// The cursor of the first match.
    var cursor: Int64
    var article: Int64
    var at: Double
    var entries: [Entry]

    /// The cursor after the set's last match: where the next set starts.
    var end: Int64 { cursor + Int64(entries.count) }

    init(cursor: Int64, article: Int64, at: Double, entries: [Entry]) {
        self.cursor = cursor
        self.article = article
        self.at = at
        self.entries = entries
    }

    /// A row of `cursor, articleId, at, matches`.
    init(_ row: Row) {
        let (cursor, article, at): (Int64, Int64, Double) = (row[0], row[1], row[2])
        // Decoded inside: the bytes are SQLite's, valid only until the row's cursor moves on.
        self =
            (try? row.withUnsafeData(atIndex: 3) { packed in
                MatchSet(cursor: cursor, article: article, at: at, packed: packed ?? Data())
            }) ?? MatchSet(cursor: cursor, article: article, at: at, entries: [])
    }

    /// Decodes a stored set; a malformed blob yields the entries before the fault.
    init(cursor: Int64, article: Int64, at: Double, packed: Data) {
        self.init(cursor: cursor, article: article, at: at, entries: [])
        packed.withUnsafeBytes { bytes in
            var reader = VarintReader(bytes: bytes)
            var watch: Int64 = 0
            while let delta = reader.next(), let link = reader.next() {
                watch &+= Self.unzigzag(delta)
                let back = Int64(bitPattern: link >> 1)
                let position = cursor + Int64(entries.count)
                entries.append(Entry(watch: watch, isCopy: link & 1 == 1, previous: back == 0 ? nil : position - back))
            }
        }
    }

    /// Each entry as two varints: the watch id's difference from the entry before (zigzag, so any
    /// order packs), and how far back the watch's previous match is, shifted once for `isCopy`.
    /// Watches come in id order and a watch's previous match is usually a few thousand cursors back,
    /// so an entry takes four or five bytes.
    var packed: Data {
        // Built as an array: appending to `Data` a byte at a time cost more than packing.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * 5)
        var watch: Int64 = 0
        for (k, entry) in entries.enumerated() {
            Self.append(Self.zigzag(entry.watch &- watch), to: &bytes)
            watch = entry.watch
            let back = entry.previous.map { cursor + Int64(k) - $0 } ?? 0
            Self.append(UInt64(bitPattern: back) << 1 | (entry.isCopy ? 1 : 0), to: &bytes)
        }
        return Data(bytes)
    }

    private static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    private static func unzigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private struct VarintReader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        mutating func next() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count, shift < 64 {
                let byte = bytes[offset]
                offset += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
            return nil
        }
    }
}
