import AkhbarProtocol
import ArabicText
import Articles
import Foundation
import GRDB

extension ArticleStore {
    /// Why a watch could not be added, removed or read.
    public enum WatchError: Error, Sendable, Equatable {
        case notFound(String)
        case exists(String)
        /// A name, note or count outside the limits, with a reason a person can act on.
        case invalid(String)
    }

    /// Saves a search. It matches the articles committed after this returns.
    public func addWatch(name: String, query: String, note: String?, now: Date = Date()) async throws -> WatchInfo {
        if let problem = WatchInfo.problem(withName: name) { throw WatchError.invalid(problem) }
        if let note, note.count > WatchInfo.maximumNoteLength {
            throw WatchError.invalid("a note has at most \(WatchInfo.maximumNoteLength) characters")
        }
        // Compiled before anything is written, so an invalid query is refused with search's own error.
        let entry: WatchIndex.Entry
        do {
            entry = try WatchIndex.entry(id: 0, name: name, query: query, analyzer: analyzer)
        } catch {
            throw SearchError.invalidQuery(error.description)
        }
        let time = now.timeIntervalSince1970
        let id = try await pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM watch WHERE name = ?", arguments: [name]) == true {
                throw WatchError.exists(name)
            }
            if try Int.fetchOne(db, sql: "SELECT count(*) FROM watch") ?? 0 >= WatchInfo.maximumCount {
                throw WatchError.invalid("the store holds \(WatchInfo.maximumCount) watches, the most it may")
            }
            try db.execute(
                sql: "INSERT INTO watch(name, query, note, createdAt) VALUES (?, ?, ?, ?)",
                arguments: [name, query, note, time])
            return db.lastInsertedRowID
        }
        watchIndex.add(entry.with(id: id))
        return WatchInfo(
            name: name, query: query, note: note, created: Self.timestamp(time), matches: 0, lastMatch: nil)
    }

    /// Deletes a watch and its matches.
    public func removeWatch(name: String) async throws {
        let id = try await pool.write { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM watch WHERE name = ?", arguments: [name]) else {
                throw WatchError.notFound(name)
            }
            try db.execute(sql: "DELETE FROM watch WHERE id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM watch_match WHERE watchId = ?", arguments: [id])
            return id
        }
        watchIndex.remove(id: id)
    }

    /// Every watch, by name.
    public func watches() async throws -> [WatchInfo] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT name, query, note, createdAt, matchCount, lastMatchAt FROM watch ORDER BY name
                    """
            ).map { row in
                WatchInfo(
                    name: row[0], query: row[1], note: row[2], created: Self.timestamp(row[3]), matches: row[4],
                    lastMatch: (row[5] as Double?).map(Self.timestamp))
            }
        }
    }

    /// How many watches are saved.
    public var watchCount: Int { watchIndex.count }

    /// The ids of the named watches; every name must exist.
    public func watchIDs(named names: [String]) throws -> [Int64] {
        try names.map { name in
            guard let entry = watchIndex.entry(named: name) else { throw WatchError.notFound(name) }
            return entry.id
        }
    }

    /// Matches with cursors above `after`, oldest first: of the watches `ids` (all when nil), copies
    /// of an earlier match's story only with `copies`.
    public func watchMatches(after: Int64, ids: [Int64]?, copies: Bool, limit: Int) async throws -> [WatchMatch] {
        var conditions = "m.seq > ?"
        var arguments: StatementArguments = [after]
        if let ids {
            conditions += " AND m.watchId IN (SELECT value FROM json_each(?))"
            _ = arguments.append(contentsOf: [Self.jsonArray(ids)])
        }
        if !copies { conditions += " AND NOT m.isCopy" }
        return try await pool.read { [conditions, arguments] db in
            try matches(db, where: conditions, arguments: arguments, order: "m.seq", limit: limit)
        }
    }

    /// A watch's latest matches, newest first: its chain of matches, walked back from the newest.
    public func latestMatches(of name: String, copies: Bool, limit: Int) async throws -> [WatchMatch] {
        let id = try watchIDs(named: [name])[0]
        return try await pool.read { db in
            var cursors: [Int64] = []
            var next = try Int64.fetchOne(db, sql: "SELECT lastSeq FROM watch WHERE id = ?", arguments: [id])
            let link = try db.cachedStatement(sql: "SELECT previous, isCopy FROM watch_match WHERE seq = ?")
            while let seq = next, cursors.count < limit {
                guard let row = try Row.fetchOne(link, arguments: [seq]) else { break }
                if copies || !(row[1] as Bool) { cursors.append(seq) }
                next = row[0]
            }
            return try matches(
                db, where: "m.seq IN (SELECT value FROM json_each(?))", arguments: [Self.jsonArray(cursors)],
                order: "m.seq DESC", limit: max(cursors.count, 1))
        }
    }

    /// The highest match cursor yet; 0 before any match.
    public func lastMatchCursor() async throws -> Int64 {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM watch_match") ?? 0 }
    }

    /// What a watch with `query` would have matched among the latest `latest` articles, newest first:
    /// the same decision as matching on commit.
    public func testWatch(query: String, latest: Int, limit: Int) async throws -> [WatchMatch] {
        let entry: WatchIndex.Entry
        do {
            entry = try WatchIndex.entry(id: 0, name: "test", query: query, analyzer: analyzer)
        } catch {
            throw SearchError.invalidQuery(error.description)
        }
        return try await pool.read { db in
            let newest = try Self.archiveSize(db)
            let filter = try ArticleFilter(entry.plan.filters, since: nil, until: nil, analyzer: analyzer, db: db)
            let ids: [Int64]
            if entry.plan.text != nil {
                guard let match = try strictMatch(of: entry.plan, in: db) else { return [] }
                ids = try Int64.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT a.id FROM article_fts JOIN article a INDEXED BY article_lookup ON a.id = article_fts.rowid
                            WHERE article_fts MATCH ? AND article_fts.rowid > ?\(filter.sql)
                            ORDER BY article_fts.rowid DESC LIMIT ?
                            """),
                    arguments: [match.expression, newest - Int64(latest)] + filter.arguments + [limit])
            } else {
                ids = try Int64.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT a.id FROM article a INDEXED BY article_lookup WHERE a.id > ?\(filter.sql)
                            ORDER BY a.id DESC LIMIT ?
                            """),
                    arguments: [newest - Int64(latest)] + filter.arguments + [limit])
            }
            let snippets = SnippetBuilder(match: entry.plan.compile(.strict, counts: nil), analyzer: analyzer)
            return try decorated(db, ids.map { ($0, Int64(0), false, nil) }, snippets: { _ in snippets })
        }
    }

    /// The cursor a named consumer last acknowledged, or nil for a consumer never seen.
    public func consumerCursor(_ name: String) async throws -> Int64? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT cursor FROM watch_consumer WHERE name = ?", arguments: [name])
        }
    }

    /// Records that a named consumer has written out every match up to `cursor`. A cursor never moves
    /// back: acknowledgements that arrive out of order cannot make a consumer read a match again.
    public func acknowledge(consumer name: String, cursor: Int64, now: Date = Date()) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO watch_consumer(name, cursor, updatedAt) VALUES (?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET cursor = max(cursor, excluded.cursor), updatedAt = excluded.updatedAt
                    """, arguments: [name, cursor, now.timeIntervalSince1970])
        }
    }

    /// What parsing workers need to check articles against the watches; nil while there are none.
    public func watchPreparation() -> WatchPreparation? {
        let watches = watchIndex.snapshot
        return watches.entries.isEmpty ? nil : WatchPreparation(analyzer: analyzer, watches: watches)
    }

    /// Compiles every saved watch; a store from before watches has none.
    func loadWatches() throws {
        let rows = try pool.read { db in
            guard try db.tableExists("watch") else { return [Row]() }
            return try Row.fetchAll(db, sql: "SELECT id, name, query FROM watch")
        }
        for row in rows {
            // A query that an older version accepted and this one refuses matches nothing until it
            // is saved again; `watch list` still shows it.
            if let entry = try? WatchIndex.entry(id: row[0], name: row[1], query: row[2], analyzer: analyzer) {
                watchIndex.add(entry)
            }
        }
    }

    /// Matches the batch's new and changed articles against every watch, in the batch's transaction,
    /// and returns the highest cursor written. An article matched once by a watch is not recorded
    /// again for it when its text changes.
    func matchWatches(_ articles: [FreshArticle], at time: Double, in db: Database) throws -> Int64? {
        var last: Int64?
        let watches = watchIndex.snapshot
        for fresh in articles {
            let (id, prepared) = (fresh.id, fresh.article)
            let article = prepared.article
            // Checked in a parsing worker unless watches changed since (or it was not checked).
            let check =
                prepared.watchCheck.flatMap { $0.generation == watches.generation ? $0 : nil }
                ?? WatchPreparation(analyzer: analyzer, watches: watches).check(article)
            // The cluster in which an earlier match makes this one a copy. An article created in this
            // batch as a cluster's root has none: its members, if any, are matched after it. An article
            // changed in place is looked up once it matches something.
            var cluster: Int64?? = fresh.newCluster.map { $0 == id ? nil : $0 }
            for verdict in check.verdicts {
                let entry = verdict.watch
                guard try verify(entry, holds: verdict.holds, id: id, article: article, terms: check.terms, in: db)
                else { continue }
                if cluster == nil {
                    cluster = try Int64.fetchOne(
                        db.cachedStatement(sql: "SELECT coalesce(clusterId, id) FROM article WHERE id = ?"),
                        arguments: [id])
                }
                var isCopy = false
                if case .some(.some(let root)) = cluster {
                    isCopy =
                        try Bool.fetchOne(
                            db.cachedStatement(
                                sql: """
                                    SELECT 1 FROM article a JOIN watch_match m ON m.articleId = a.id AND m.watchId = ?
                                    WHERE (a.id = ? OR a.clusterId = ?) AND a.id != ? LIMIT 1
                                    """), arguments: [entry.id, root, root, id]) ?? false
                }
                try db.cachedStatement(
                    sql: """
                        INSERT OR IGNORE INTO watch_match(watchId, articleId, isCopy, at, previous)
                        VALUES (?, ?, ?, ?, (SELECT lastSeq FROM watch WHERE id = ?))
                        """
                ).execute(arguments: [entry.id, id, isCopy, time, entry.id])
                guard db.changesCount > 0 else { continue }
                let seq = db.lastInsertedRowID
                last = seq
                try db.cachedStatement(
                    sql: """
                        UPDATE watch SET lastSeq = ?, lastMatchAt = ?, matchCount = matchCount + ? WHERE id = ?
                        """
                ).execute(arguments: [seq, time, isCopy ? 0 : 1, entry.id])
            }
        }
        return last
    }

    /// Whether the stored article `id` satisfies the watch. Where its terms already decided (`holds`),
    /// only dates and places are left to check; otherwise the watch's expression, pruned to the
    /// phrases the article has, runs on that one row of the index.
    private func verify(
        _ entry: WatchIndex.Entry, holds: Bool?, id: Int64, article: Article, terms: ArticleTerms?, in db: Database
    ) throws -> Bool {
        if holds == false { return false }
        if holds == true, entry.plan.filters.isEmpty { return true }
        let filter = try ArticleFilter(
            entry.plan.filters, since: nil, until: nil, analyzer: analyzer, db: db,
            places: article.dateline?.place.map { [$0] } ?? [])
        if holds == true {
            guard !filter.isEmpty else { return true }
            return try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT 1 FROM article a WHERE a.id = ?\(filter.sql)"),
                arguments: [id] + filter.arguments) ?? false
        }
        guard let condition = entry.condition, let terms,
            let match = entry.plan.compile(.strict, counts: condition.counts(in: terms))
        else { return false }
        let sql =
            filter.isEmpty
            ? "SELECT 1 FROM article_fts WHERE article_fts MATCH ? AND article_fts.rowid = ?"
            : """
            SELECT 1 FROM article_fts JOIN article a ON a.id = article_fts.rowid
            WHERE article_fts MATCH ? AND article_fts.rowid = ?\(filter.sql)
            """
        return try Bool.fetchOne(db.cachedStatement(sql: sql), arguments: [match.expression, id] + filter.arguments)
            ?? false
    }

    private func matches(
        _ db: Database, where condition: String, arguments: StatementArguments, order: String, limit: Int
    ) throws -> [WatchMatch] {
        let rows = try Row.fetchAll(
            db,
            sql:
                "SELECT m.seq, m.watchId, m.articleId, m.isCopy, m.at FROM watch_match m WHERE \(condition) ORDER BY \(order) LIMIT ?",
            arguments: arguments + [max(limit, 1)])
        var builders: [Int64: SnippetBuilder] = [:]
        let decoratedMatches = try decorated(
            db, rows.map { ($0[2], $0[1], $0[3], $0[4] as Double) },
            snippets: { watch in
                if let builder = builders[watch] { return builder }
                // Compiled for the page rather than kept for every watch: the expressions, every form
                // of every word written out, are much of a watch's memory.
                let builder = SnippetBuilder(
                    match: self.watchIndex.entry(id: watch)?.plan.compile(.strict, counts: nil), analyzer: self.analyzer
                )
                builders[watch] = builder
                return builder
            })
        return zip(rows, decoratedMatches).map { row, decorated in
            var match = decorated
            match.cursor = row[0]
            match.watch = watchIndex.entry(id: row[1])?.name ?? ""
            return match
        }
    }

    /// Matches for `(article, watch, isCopy, at)` rows, in the same order, with the article's summary
    /// and a snippet built by the watch's own builder.
    private func decorated(
        _ db: Database, _ rows: [(Int64, Int64, Bool, Double?)], snippets: (Int64) -> SnippetBuilder
    ) throws -> [WatchMatch] {
        // An article matched by many watches comes many times in a page: read it once.
        var articles: [Int64: (summary: Summary, body: [UInt8])] = [:]
        return try rows.compactMap { articleID, watch, isCopy, at in
            if articles[articleID] == nil {
                guard
                    let row = try Row.fetchOne(
                        db.cachedStatement(
                            sql: """
                                SELECT a.id, a.title, a.outlet, a.date,
                                    (SELECT path FROM source s WHERE s.articleId = a.id ORDER BY s.gone, s.firstSeen LIMIT 1),
                                    a.updatedAt, a.body
                                FROM article a WHERE a.id = ?
                                """), arguments: [articleID])
                else { return nil }
                let summary = Summary(
                    id: row[0], title: row[1], outlet: row[2], date: row[3], path: row[4],
                    ingested: Self.timestamp(row[5]))
                let body = try row.withUnsafeData(atIndex: 6) { Array($0 ?? Data()) }
                articles[articleID] = (summary, body)
            }
            guard let article = articles[articleID] else { return nil }
            let builder = snippets(watch)
            let (snippet, highlights) = article.body.withUnsafeBufferPointer {
                builder.snippet(of: $0, passageEnd: nil)
            }
            return WatchMatch(
                cursor: 0, watch: "", article: article.summary, snippet: snippet, highlights: highlights,
                copy: isCopy ? true : nil, matched: at.map(Self.timestamp))
        }
    }
}
