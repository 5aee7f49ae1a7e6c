import Articles
import GRDB
import Synchronization

/// What `Count` groups and filters by, for every article, in memory: day, month, outlet, author,
/// place and cluster, as numbers in arrays indexed by article id.
///
/// Grouping in SQL read every matching row of the article table, bodies and all: 0.5-0.9 s for half
/// of a 200,000-article archive, and even SQLite's own `GROUP BY` of every article's day took a
/// tenth of a second. Here a count with no query walks arrays (about 40 bytes an article), and a
/// count with one reads only the full-text index's matching ids. The arrays are filled on first use
/// and brought up to date at every count: new articles by id (ids only grow), changed ones by
/// `updatedAt` (each row keeps the newest version seen, so a reader on an older snapshot cannot
/// bring an old one back).
final class ArticleFacets: Sendable {
    private let state = Mutex(Columns())

    /// The facets as of `db`'s snapshot (or newer).
    func current(_ db: Database) throws -> Columns {
        var columns = state.withLock { $0 }
        let known = Int64(columns.day.count - 1)
        // Changed rows are found in the updatedAt index alone (it holds the ids), and only those
        // newer than what is recorded are read: the article table's rows carry their bodies.
        var stale: [Int64] = []
        let touched = try Row.fetchCursor(
            db.cachedStatement(
                sql: "SELECT id, updatedAt FROM article INDEXED BY article_updatedAt WHERE updatedAt > ? AND id <= ?"),
            arguments: [columns.newestUpdate - Self.clockSlack, known])
        while let row = try touched.next() {
            let id = Int(row[0] as Int64)
            if !columns.exists[id] || columns.updated[id] < row[1] { stale.append(Int64(id)) }
        }
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT id, date, ingestedAt, outlet, author, place, clusterId, updatedAt FROM article WHERE id > ?
                    UNION ALL
                    SELECT id, date, ingestedAt, outlet, author, place, clusterId, updatedAt FROM article
                    WHERE id IN (SELECT value FROM json_each(?))
                    """),
            arguments: [known, ArticleStore.jsonArray(stale)])
        var changed: [Int] = []
        while let row = try rows.next() {
            if let id = columns.record(row) { changed.append(id) }
        }
        guard !changed.isEmpty else { return columns }
        // Another count may have recorded newer rows meanwhile: keep whichever is newer, row by row.
        return state.withLock { stored in
            stored.merge(changed, from: columns)
            return stored
        }
    }

    /// How far back in `updatedAt` changes are looked for again: the writer's clock may step back.
    static let clockSlack = 2.0

    /// The facets, a column per field, indexed by article id (index 0 and missing ids unused).
    struct Columns: Sendable {
        /// Publication day as days since 1970-01-01, or ``none`` when the date is not that precise.
        private(set) var day: [Int32] = [Self.none]
        /// Publication month as year × 12 + month − 1, or ``none``.
        private(set) var month: [Int32] = [Self.none]
        /// The day an article counts as published for `since`/`until` (its stated date, else the
        /// day it was ingested) as YYYYMMDD with missing parts 0, which orders as the text does.
        private(set) var filterDay: [Int32] = [Self.none]
        /// Ingest day, days since 1970-01-01.
        private(set) var ingestDay: [Int32] = [Self.none]
        /// Outlet, author and place as codes into ``names``; 0 for none.
        private(set) var outlet: [UInt32] = [0]
        private(set) var author: [UInt32] = [0]
        private(set) var place: [UInt32] = [0]
        /// The cluster's root id.
        private(set) var cluster: [Int32] = [0]
        /// Whether the article's cluster has other articles.
        private(set) var shared: [Bool] = [false]
        private(set) var updated: [Double] = [0]
        /// Whether the row exists (ids of rolled-back inserts are never used).
        private(set) var exists: [Bool] = [false]
        private(set) var names: [String] = [""]
        private var codes: [String: UInt32] = [:]
        /// The lowest and highest day, month and ingest day recorded (they only widen).
        private(set) var days: ClosedRange<Int32>?
        private(set) var months: ClosedRange<Int32>?
        private(set) var ingestDays: ClosedRange<Int32>?
        /// Some stated date is not YYYY[-MM[-DD]]: date filters then go to SQL.
        private(set) var hasOddDates = false
        fileprivate(set) var newestUpdate = 0.0

        static let none = Int32.min

        var count: Int { day.count }

        func code(of name: String) -> UInt32? { codes[name] }

        /// Records one row; returns its id if anything changed.
        fileprivate mutating func record(_ row: Row) -> Int? {
            let id = Int(row[0] as Int64)
            let updatedAt: Double = row[7]
            if id < count, exists[id], updated[id] >= updatedAt { return nil }
            grow(to: id + 1)
            let date: String? = row[1]
            let ingested = Int32((row[2] as Double / 86_400).rounded(.down))
            let stated = date.flatMap(CivilDay.parts)
            if date != nil, stated == nil { hasOddDates = true }
            day[id] = stated.flatMap { $0.day == 0 ? nil : CivilDay.number($0.year, $0.month, $0.day) } ?? Self.none
            month[id] = stated.flatMap { $0.month == 0 ? nil : Int32($0.year * 12 + $0.month - 1) } ?? Self.none
            filterDay[id] =
                stated.map { Int32($0.year * 10_000 + $0.month * 100 + $0.day) } ?? CivilDay.sortable(ingested)
            ingestDay[id] = ingested
            Self.widen(&days, day[id])
            Self.widen(&months, month[id])
            Self.widen(&ingestDays, ingested)
            outlet[id] = intern(row[3])
            author[id] = intern(row[4])
            place[id] = intern(row[5])
            let root = (row[6] as Int64?).map(Int.init)
            cluster[id] = Int32(root ?? id)
            if let root {
                shared[id] = true
                grow(to: root + 1)
                shared[root] = true
            }
            updated[id] = updatedAt
            exists[id] = true
            newestUpdate = max(newestUpdate, updatedAt)
            return id
        }

        /// Takes the rows `ids` of `other` where they are newer than this one's.
        fileprivate mutating func merge(_ ids: [Int], from other: Columns) {
            grow(to: other.count)
            for id in ids where !exists[id] || other.updated[id] > updated[id] {
                day[id] = other.day[id]
                month[id] = other.month[id]
                filterDay[id] = other.filterDay[id]
                ingestDay[id] = other.ingestDay[id]
                Self.widen(&days, day[id])
                Self.widen(&months, month[id])
                Self.widen(&ingestDays, ingestDay[id])
                outlet[id] = intern(other.name(other.outlet[id]))
                author[id] = intern(other.name(other.author[id]))
                place[id] = intern(other.name(other.place[id]))
                cluster[id] = other.cluster[id]
                updated[id] = other.updated[id]
                exists[id] = true
                if other.shared[id] {
                    shared[id] = true
                    shared[Int(cluster[id])] = true
                }
            }
            hasOddDates = hasOddDates || other.hasOddDates
            newestUpdate = max(newestUpdate, other.newestUpdate)
        }

        private static func widen(_ range: inout ClosedRange<Int32>?, _ value: Int32) {
            guard value != none else { return }
            range = range.map { min($0.lowerBound, value)...max($0.upperBound, value) } ?? value...value
        }

        /// The name of a code; nil for 0.
        func name(_ code: UInt32) -> String? {
            code == 0 ? nil : names[Int(code)]
        }

        private mutating func intern(_ name: String?) -> UInt32 {
            guard let name else { return 0 }
            if let code = codes[name] { return code }
            let code = UInt32(names.count)
            names.append(name)
            codes[name] = code
            return code
        }

        private mutating func grow(to size: Int) {
            let missing = size - count
            guard missing > 0 else { return }
            day += repeatElement(Self.none, count: missing)
            month += repeatElement(Self.none, count: missing)
            filterDay += repeatElement(Self.none, count: missing)
            ingestDay += repeatElement(Self.none, count: missing)
            outlet += repeatElement(0, count: missing)
            author += repeatElement(0, count: missing)
            place += repeatElement(0, count: missing)
            cluster += repeatElement(0, count: missing)
            shared += repeatElement(false, count: missing)
            updated += repeatElement(0, count: missing)
            exists += repeatElement(false, count: missing)
        }
    }
}
