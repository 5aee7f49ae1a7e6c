import AkhbarProtocol
import ArabicText
import Foundation
import GRDB

extension ArticleStore {
    /// Why a search could not run.
    public enum SearchError: Error, Sendable, Equatable {
        case invalidQuery(String)
    }

    /// Full-text search in tiers: articles with every word in the form typed first, then those with
    /// every word in some form, then (to fill the page) those missing one word.
    public func search(_ parameters: SearchParameters) async throws -> [Hit] {
        // Clamped again here, whoever the caller: the look-ahead below must never overflow.
        let limit = (parameters.limit ?? 20).clamped(to: SearchParameters.limits)
        let offset = (parameters.offset ?? 0).clamped(to: SearchParameters.offsets)
        let plan: SearchPlan
        do {
            plan = try SearchPlan(Query(parsing: parameters.query, analyzer: analyzer))
        } catch {
            throw SearchError.invalidQuery(error.description)
        }
        let collapse = parameters.collapse ?? true
        // Collapsing folds some hits away, so look further ahead to still fill the page.
        let wanted = collapse ? (offset + limit) * 2 + 10 : offset + limit
        return try await pool.read { db in
            let filter = try ArticleFilter(
                plan.filters, since: parameters.since, until: parameters.until, analyzer: analyzer, db: db)
            var ranked: [Ranked] = []
            var snippets = SnippetBuilder(match: nil, analyzer: analyzer)
            if plan.text == nil {
                ranked = try newest(db, filter: filter, limit: wanted)
            } else {
                var counts: [String: Int64]?
                var newest: Int64 = 0
                if plan.isRanked { (counts, newest) = try phraseCounts(of: plan, in: db) }
                let strict = plan.compile(.strict, counts: counts)
                if let strict { snippets = SnippetBuilder(match: strict, analyzer: analyzer) }
                for tier in SearchPlan.Tier.allCases where tier != .relaxed || parameters.partial != false {
                    // A tier ranks below every article of the tiers before it, so it runs only when they
                    // left the page short: most searches end with the typed forms, whose expression is
                    // the cheapest to walk.
                    let shown = collapse ? Set(ranked.map(\.cluster)).count : ranked.count
                    guard shown < offset + limit,
                        let match = tier == .strict ? strict : plan.compile(tier, counts: counts)
                    else { continue }
                    ranked += try rank(
                        db, match: match, counts: counts, newest: newest, filter: filter, excluding: ranked.map(\.id),
                        limit: wanted - ranked.count)
                }
            }
            var seen = Set<Int64>()
            let page = Array(
                (collapse ? ranked.filter { seen.insert($0.cluster).inserted } : ranked).dropFirst(offset).prefix(limit)
            )
            let sizes = collapse ? try clusterSizes(db, page.map(\.cluster)) : [:]
            return try decorate(db, page, snippets: snippets).map { entry in
                var hit = entry.hit
                let others = (sizes[entry.cluster] ?? 1) - 1
                hit.duplicates = others > 0 ? others : nil
                return hit
            }
        }
    }

    /// How many articles hold each phrase any tier of `plan` may look up, and the newest article id.
    func phraseCounts(of plan: SearchPlan, in db: Database) throws -> (counts: [String: Int64], newest: Int64) {
        let phrases = plan.phrases.map(\.text)
        var zeros = Set<String>()
        let found = try phraseCounts.counts(db, phrases: phrases, zeros: &zeros)
        return (Dictionary(zip(phrases, found.counts), uniquingKeysWith: { first, _ in first }), found.newest)
    }

    /// Every word in some form, as search's strict tier compiles it for the archive as it is now:
    /// phrases found in no article left out, which also decides which forms a NEAR group with very
    /// many of them keeps. Nil when the query has no words or they match nothing.
    func strictMatch(of plan: SearchPlan, in db: Database) throws -> CompiledMatch? {
        guard plan.text != nil else { return nil }
        return plan.compile(.strict, counts: try phraseCounts(of: plan, in: db).counts)
    }

    /// A match found by ``rank(_:match:counts:newest:filter:excluding:limit:)``, before it is decorated.
    private struct Ranked {
        var id: Int64
        var score: Double
        var cluster: Int64
        /// Where the body's best passage ends, as far as the ranking function told.
        var passageEnd: Int32?
    }

    /// The size of each cluster with more than its root; the others have one article.
    private func clusterSizes(_ db: Database, _ clusters: [Int64]) throws -> [Int64: Int] {
        guard !clusters.isEmpty else { return [:] }
        var sizes: [Int64: Int] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT clusterId, count(*) + 1 FROM article WHERE clusterId IN (SELECT value FROM json_each(?)) GROUP BY clusterId
                    """),
            arguments: [Self.jsonArray(clusters)])
        {
            sizes[row[0]] = row[1]
        }
        return sizes
    }

    /// The near-duplicate cluster of an article, itself included, oldest first; nil if no such article.
    public func similar(id: Int64) async throws -> [Summary]? {
        try await pool.read { db in
            guard
                let cluster = try Int64.fetchOne(
                    db, sql: "SELECT coalesce(clusterId, id) FROM article WHERE id = ?", arguments: [id])
            else {
                return nil
            }
            return try summaries(
                db, where: "a.id = ? OR a.clusterId = ?", arguments: [cluster, cluster], limit: 10_000
            )
            .sorted { $0.id < $1.id }
        }
    }

    /// Articles in full with ids above `after`, in id order: one page of an export.
    public func export(after: Int64, limit: Int) async throws -> [ArticleRecord] {
        try await pool.read { db in
            let ids = try Int64.fetchAll(
                db, sql: "SELECT id FROM article WHERE id > ? ORDER BY id LIMIT ?", arguments: [after, limit])
            return try ids.compactMap { try Self.record(db, id: $0) }
        }
    }

    /// The best matches of one tier, ids and scores only: snippets and paths cost a re-analyzed body
    /// and a lookup each, so they are computed afterwards for the one page shown, not for every match.
    /// Without a date or place filter the ranking runs on the full-text index alone, and clusters are
    /// looked up for the few rows kept rather than joined for every match. Without `counts` (a query
    /// of very common words only) the newest matches come first, unranked.
    private func rank(
        _ db: Database, match: CompiledMatch, counts: [String: Int64]?, newest: Int64, filter: ArticleFilter,
        excluding: [Int64], limit: Int
    ) throws -> [Ranked] {
        guard limit > 0 else { return [] }
        // Statements are cached: compiling one costs as much as a small search. The ids to leave out
        // go in as one JSON array for the same reason.
        let excluded = excluding.isEmpty ? "" : " AND article_fts.rowid NOT IN (SELECT value FROM json_each(?))"
        var tail: StatementArguments = filter.arguments
        if !excluding.isEmpty { _ = tail.append(contentsOf: [Self.jsonArray(excluding)]) }
        _ = tail.append(contentsOf: [limit])
        let rows: [Row]
        var plan: RankPlan?
        do {
            if let counts {
                // Articles with only some of the words just fill a page that those with all of them left
                // short, and the expression that lets a word be missing is the costliest to walk: a tenth
                // as many of them are ranked (Search p50 −14 %, same search quality).
                let ranked = match.isRelaxed ? max(rankedMatches / 10, 1) : rankedMatches
                var oldest: Int64 = 0
                if let expected = match.expectedMatches, expected > ranked {
                    // Articles are numbered as they arrive, so the newest come last: rank a window of the
                    // archive expected to hold about `ranked` of them.
                    let window = Int64(Double(newest) * Double(ranked) / Double(expected))
                    oldest = max(newest - window, 0)
                }
                // The ranking function is called in the select list and sorted by SQLite, not through
                // FTS5's `rank MATCH` form, which runs the query again in a nested statement and sorts
                // every match (with the 1,000-match window: Search p50 −12 %, p99 −23 %, `bench/ab`).
                // The first argument is a placeholder for the ``RankPlan`` bound below.
                let sql: String
                if filter.isEmpty {
                    sql = """
                        SELECT rowid, \(RankFunction.name)(article_fts, ?) AS score FROM article_fts
                        WHERE article_fts MATCH ? AND article_fts.rowid > ?\(excluded) ORDER BY score LIMIT ?
                        """
                } else {
                    sql = """
                        SELECT a.id, \(RankFunction.name)(article_fts, ?) AS score FROM article_fts
                        JOIN article a INDEXED BY article_lookup ON a.id = article_fts.rowid
                        WHERE article_fts MATCH ? AND article_fts.rowid > ?\(filter.sql)\(excluded)
                        ORDER BY score LIMIT ?
                        """
                }
                let made = RankPlan(match, counts: counts)
                plan = made
                let statement = try db.cachedStatement(sql: sql)
                var found = try made.fetch(statement, arguments: [nil, match.expression, oldest] + tail, index: 1)
                // The window is an estimate (alternatives' counts add up as if they never overlapped):
                // when it held far fewer matches than it was meant to, rank them all. Articles an
                // earlier tier already ranked count as held.
                if oldest > 0, found.count + excluding.count < min(limit, ranked) / 2 {
                    found = try made.fetch(statement, arguments: [nil, match.expression, 0] + tail, index: 1)
                }
                rows = found
            } else {
                // Newest first: FTS5 walks its posting lists backwards and stops at the limit.
                rows = try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT a.id, 0.0 FROM article_fts JOIN article a INDEXED BY article_lookup ON a.id = article_fts.rowid
                            WHERE article_fts MATCH ?\(filter.sql)\(excluded)
                            ORDER BY article_fts.rowid DESC LIMIT ?
                            """),
                    arguments: [match.expression] + tail)
            }
        } catch let error as DatabaseError
            where error.resultCode == .SQLITE_ERROR && error.message?.hasPrefix("fts5:") == true
        {
            // The compiler writes only valid expressions; were one ever refused, it is the query's
            // fault, not the store's. Any other error (a missing index, a plan that does not fit its
            // expression) is the store's, and says so.
            throw SearchError.invalidQuery("the query could not be run: \(error.message ?? "syntax error")")
        }
        return try ranked(db, rows, passageEnds: plan?.passageEnds ?? [])
    }

    /// The newest articles passing `filter`: a query of dates and places only.
    private func newest(_ db: Database, filter: ArticleFilter, limit: Int) throws -> [Ranked] {
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT a.id, 0.0 FROM article a INDEXED BY article_lookup WHERE 1\(filter.sql) ORDER BY a.id DESC LIMIT ?
                    """),
            arguments: filter.arguments + [limit])
        return try ranked(db, rows, passageEnds: [])
    }

    /// Rows of ids and scores with their clusters and passage hints.
    private func ranked(_ db: Database, _ rows: [Row], passageEnds: [(id: Int64, end: Int32)]) throws -> [Ranked] {
        guard !rows.isEmpty else { return [] }
        let ids: [Int64] = rows.map { $0[0] }
        var clusters: [Int64: Int64] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, coalesce(clusterId, id) FROM article INDEXED BY article_lookup WHERE id IN (SELECT value FROM json_each(?))
                    """),
            arguments: [Self.jsonArray(ids)])
        {
            clusters[row[0]] = row[1]
        }
        let ends = Dictionary(passageEnds, uniquingKeysWith: { _, last in last })
        return rows.map { row in
            let id: Int64 = row[0]
            return Ranked(id: id, score: -(row[1] as Double), cluster: clusters[id] ?? id, passageEnd: ends[id])
        }
    }

    /// Ids as a JSON array, for `json_each` in a cached statement.
    static func jsonArray(_ ids: [Int64]) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }

    /// Titles, paths and highlighted snippets for one page of ranked matches, in rank order.
    private func decorate(_ db: Database, _ page: [Ranked], snippets: SnippetBuilder) throws -> [(
        hit: Hit, cluster: Int64
    )] {
        guard !page.isEmpty else { return [] }
        let ranked = Dictionary(page.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var hits: [Int64: Hit] = [:]
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT a.id, a.title, a.outlet, coalesce(a.date, date(a.ingestedAt, 'unixepoch')),
                        (SELECT path FROM source s WHERE s.articleId = a.id ORDER BY s.gone, s.firstSeen LIMIT 1), a.body,
                        a.date IS NULL
                    FROM article a WHERE a.id IN (SELECT value FROM json_each(?))
                    """), arguments: [Self.jsonArray(page.map(\.id))])
        while let row = try rows.next() {
            guard let entry = ranked[row[0]] else { continue }
            // The body is read in place, where SQLite holds it, for the snippet alone.
            let (snippet, highlights) = try row.withUnsafeData(atIndex: 5) { body in
                (body ?? Data()).withUnsafeBytes {
                    snippets.snippet(of: $0.bindMemory(to: UInt8.self), passageEnd: entry.passageEnd)
                }
            }
            hits[entry.id] = Hit(
                id: entry.id, title: row[1], outlet: row[2], date: row[3], path: row[4], score: entry.score,
                snippet: snippet, highlights: highlights, dateIsIngest: (row[6] as Bool) ? true : nil)
        }
        return page.compactMap { entry in hits[entry.id].map { ($0, entry.cluster) } }
    }

    /// One article in full, or nil.
    public func article(id: Int64) async throws -> ArticleRecord? {
        try await pool.read { db in try Self.record(db, id: id) }
    }

    private static func record(_ db: Database, id: Int64) throws -> ArticleRecord? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM article WHERE id = ?"), arguments: [id])
        else {
            return nil
        }
        let original = StoredText.text(from: row["original"])
        let sources = try SourceRow.fetchAll(db, article: id).map { $0.info(article: row, original: original) }
        return ArticleRecord(
            id: row["id"], title: row["title"], titleDerived: row["titleDerived"], outlet: row["outlet"],
            section: row["section"], author: row["author"], date: row["date"], datePrecision: row["datePrecision"],
            place: row["place"], agency: row["agency"], url: row["url"], body: row["body"],
            original: original,
            extraFields: row["extraFields"], ingested: timestamp(row["ingestedAt"]),
            updated: timestamp(row["updatedAt"]), sources: sources, cluster: row["clusterId"] ?? id)
    }

    /// The most recently ingested or updated articles, newest first.
    public func recent(limit: Int) async throws -> [Summary] {
        try await pool.read { db in
            try summaries(db, where: "1", arguments: [], limit: limit.clamped(to: LimitParameters.recentLimits))
        }
    }

    /// Summaries of the given articles, in the given order.
    public func summaries(ids: [Int64]) async throws -> [Summary] {
        guard !ids.isEmpty else { return [] }
        let found = try await pool.read { db in
            try summaries(
                db, where: "a.id IN (\(ids.map(String.init).joined(separator: ",")))", arguments: [], limit: ids.count)
        }
        let byID = Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { byID[$0] }
    }

    /// Summaries of the articles with ids above `after`, in id order: one page of a subscriber's replay.
    public func summaries(after: Int64, limit: Int) async throws -> [Summary] {
        try await pool.read { db in
            try summaries(db, where: "a.id > ?", arguments: [after], limit: max(limit, 1), order: "a.id")
        }
    }

    /// The highest article id yet; 0 for an empty store.
    public func lastArticleID() async throws -> Int64 {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM article") ?? 0 }
    }

    private func summaries(
        _ db: Database, where condition: String, arguments: StatementArguments, limit: Int,
        order: String = "a.updatedAt DESC, a.id DESC"
    ) throws -> [Summary] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT a.id, a.title, a.outlet, a.date,
                    (SELECT path FROM source s WHERE s.articleId = a.id ORDER BY s.gone, s.firstSeen LIMIT 1), a.updatedAt
                FROM article a WHERE \(condition) ORDER BY \(order) LIMIT \(limit)
                """, arguments: arguments
        ).map {
            Summary(id: $0[0], title: $0[1], outlet: $0[2], date: $0[3], path: $0[4], ingested: Self.timestamp($0[5]))
        }
    }

    /// Current rejections, newest first.
    public func rejections(limit: Int) async throws -> [RejectionInfo] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT path, position, reason, at FROM rejection ORDER BY at DESC, path LIMIT ?",
                arguments: [limit.clamped(to: LimitParameters.rejectionLimits)]
            ).map { row in
                let position: Int = row[1]
                return RejectionInfo(
                    path: row[0], position: position == Self.wholeFile ? nil : position, reason: row[2],
                    time: Self.timestamp(row[3]))
            }
        }
    }

    /// Counts for `Stats` and the service status line.
    public struct Counts: Sendable {
        public var articles: Int
        public var files: Int
        public var rejected: Int
        public var lastIngest: String?
    }

    public func counts() async throws -> Counts {
        try await pool.read { db in
            Counts(
                articles: try Int.fetchOne(db, sql: "SELECT count(*) FROM article") ?? 0,
                files: try Int.fetchOne(db, sql: "SELECT count(*) FROM file") ?? 0,
                rejected: try Int.fetchOne(db, sql: "SELECT count(*) FROM rejection") ?? 0,
                lastIngest: try Double.fetchOne(db, sql: "SELECT max(updatedAt) FROM article").map(Self.timestamp))
        }
    }

    /// Timestamps go out as ISO 8601 in UTC with milliseconds.
    static func timestamp(_ seconds: Double) -> String {
        Date(timeIntervalSince1970: seconds).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

extension Comparable {
    /// The value, or the nearest bound of `range` when it lies outside.
    func clamped(to range: ClosedRange<Self>) -> Self {
        min(max(self, range.lowerBound), range.upperBound)
    }
}
