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

    /// Deletes a watch. Its matches, packed with other watches' in their sets, are no longer shown:
    /// ids are never given twice, so no later watch takes them over.
    public func removeWatch(name: String) async throws {
        try await pool.write { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM watch WHERE name = ?", arguments: [name]) else {
                throw WatchError.notFound(name)
            }
            try db.execute(sql: "DELETE FROM watch WHERE id = ?", arguments: [id])
            // On the writer, right after the commit: no batch can match the watch once it is gone.
            db.afterNextTransaction(onCommit: { _ in
                self.watchIndex.remove(id: id)
                self.watchTallies.forget(id)
            })
        }
    }

    /// Every watch, by name.
    public func watches() async throws -> [WatchInfo] {
        let saved = try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, query, note, createdAt FROM watch ORDER BY name").map { row in
                (
                    id: row[0] as Int64,
                    info: WatchInfo(
                        name: row[1], query: row[2], note: row[3], created: Self.timestamp(row[4]), matches: 0,
                        lastMatch: nil)
                )
            }
        }
        return saved.map { id, info in
            let tally = watchTallies.tally(of: id)
            var info = info
            info.matches = tally.count
            info.lastMatch = tally.lastAt.map(Self.timestamp)
            return info
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
        let wanted = ids.map(Set.init)
        return try await pool.read { db in
            // The set holding the match at `after` may hold later ones too.
            let start =
                try Int64.fetchOne(db, sql: "SELECT max(cursor) FROM match_set WHERE cursor <= ?", arguments: [after])
                ?? 0
            let sets = try Row.fetchCursor(
                db, sql: "SELECT cursor, articleId, at, matches FROM match_set WHERE cursor >= ? ORDER BY cursor",
                arguments: [start])
            // Taken once the read has begun: every watch in the sets it sees was added before them,
            // so only removed watches are missing (taken earlier, a watch added meanwhile and its
            // first matches would be skipped, and the cursor moved past them).
            let watches = watchIndex.snapshot
            var found: [StoredMatch] = []
            scan: while let row = try sets.next() {
                let set = MatchSet(row)
                for (k, entry) in set.entries.enumerated() {
                    let cursor = set.cursor + Int64(k)
                    guard cursor > after, copies || !entry.isCopy, wanted?.contains(entry.watch) ?? true,
                        watches.entry(id: entry.watch) != nil
                    else { continue }
                    found.append(
                        StoredMatch(
                            cursor: cursor, watch: entry.watch, article: set.article, isCopy: entry.isCopy, at: set.at))
                    if found.count >= max(limit, 1) { break scan }
                }
            }
            return try matches(db, found)
        }
    }

    /// A watch's latest matches, newest first: its chain of matches, walked back from the newest.
    public func latestMatches(of name: String, copies: Bool, limit: Int) async throws -> [WatchMatch] {
        let id = try watchIDs(named: [name])[0]
        let newest = watchTallies.tally(of: id).last
        return try await pool.read { db in
            var found: [StoredMatch] = []
            var next = newest
            var set: MatchSet?
            let holding = try db.cachedStatement(
                sql:
                    "SELECT cursor, articleId, at, matches FROM match_set WHERE cursor <= ? ORDER BY cursor DESC LIMIT 1"
            )
            while let cursor = next, found.count < limit {
                if set.map({ !($0.cursor...$0.end - 1).contains(cursor) }) ?? true {
                    set = try Row.fetchOne(holding, arguments: [cursor]).map(MatchSet.init)
                }
                guard let set, cursor < set.end else { break }
                let entry = set.entries[Int(cursor - set.cursor)]
                guard entry.watch == id else { break }
                if copies || !entry.isCopy {
                    found.append(
                        StoredMatch(cursor: cursor, watch: id, article: set.article, isCopy: entry.isCopy, at: set.at))
                }
                next = entry.previous
            }
            return try matches(db, found)
        }
    }

    /// The highest match cursor yet; 0 before any match.
    public func lastMatchCursor() async throws -> Int64 {
        watchTallies.next - 1
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
            return try decorated(db, ids.map { ($0, Int64(0), false, nil) }, snippets: { _ in snippets }).compactMap {
                $0
            }
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

    /// Writes each watch's count and newest match to its row, for an idle moment: a start then has
    /// no matches to count again.
    public func writeWatchTallies() async throws {
        try await pool.write { db in try self.watchTallies.write(in: db) }
    }

    /// What parsing workers need to check articles against the watches; nil while there are none.
    public func watchPreparation() -> WatchPreparation? {
        let watches = watchIndex.snapshot
        return watches.count == 0 ? nil : WatchPreparation(analyzer: analyzer, watches: watches)
    }

    /// Compiles every saved watch and reads their tallies; a store from before watches has none.
    func loadWatches() throws {
        try pool.read { db in
            // A store left at an older schema (tests make them) has no watches, or no sets yet.
            guard try db.tableExists("watch"), try db.tableExists("match_set") else { return }
            var tallies: [Int64: WatchTallies.Tally] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT id, name, query, matchCount, lastSeq, lastMatchAt FROM watch ORDER BY id")
            {
                tallies[row[0]] = WatchTallies.Tally(count: row[3], last: row[4], lastAt: row[5])
                // A query that an older version accepted and this one refuses matches nothing until it
                // is saved again; `watch list` still shows it.
                if let entry = try? WatchIndex.entry(id: row[0], name: row[1], query: row[2], analyzer: analyzer) {
                    watchIndex.add(entry)
                }
            }
            try watchTallies.load(db, watches: tallies)
        }
    }

    /// Matches the batch's new and changed articles against every watch, in the batch's transaction,
    /// and returns the highest cursor written. An article matched once by a watch is not recorded
    /// again for it when its text changes.
    func matchWatches(_ articles: [FreshArticle], at time: Double, in db: Database) throws -> Int64? {
        let watches = watchIndex.snapshot
        var batch = watchTallies.batch()
        let today = Self.day(of: time)
        for fresh in articles {
            let (id, prepared) = (fresh.id, fresh.article)
            let article = prepared.article
            // Checked in a parsing worker unless watches changed since (or it was not checked).
            let check =
                prepared.watchCheck.flatMap { $0.generation == watches.generation ? $0 : nil }
                ?? WatchPreparation(analyzer: analyzer, watches: watches).check(
                    prepared.analysis ?? ArticleAnalysis(article, analyzer: analyzer))
            var facts: (day: String, place: [Substring]?)?
            var matched: [Int64] = []
            for slot in check.candidates {
                let filters = watches.filters(ofSlot: slot)
                if !filters.isEmpty {
                    if facts == nil {
                        facts = try self.facts(
                            of: article, id: id, isNew: fresh.newCluster != nil, today: today, in: db)
                    }
                    guard let facts, filters.allSatisfy({ $0.holds(day: facts.day, place: facts.place) })
                    else { continue }
                }
                matched.append(watches.id(ofSlot: slot))
            }
            guard !matched.isEmpty else { continue }
            // An article changed in place keeps the matches it had.
            if fresh.newCluster == nil {
                let earlier = try matchedWatches(
                    db, sql: "SELECT cursor, articleId, at, matches FROM match_set WHERE articleId = ?", arguments: [id]
                )
                matched.removeAll(where: earlier.contains)
                guard !matched.isEmpty else { continue }
            }
            let copies = try clusterMatches(of: id, newCluster: fresh.newCluster, in: db)
            var set = MatchSet(cursor: batch.next, article: id, at: time, entries: [])
            set.entries.reserveCapacity(matched.count)
            for watch in matched {
                let isCopy = copies.contains(watch)
                let previous = batch.record(watch, cursor: set.end, at: time, isCopy: isCopy)
                set.entries.append(MatchSet.Entry(watch: watch, isCopy: isCopy, previous: previous))
            }
            try db.cachedStatement(sql: "INSERT INTO match_set(cursor, articleId, at, matches) VALUES (?, ?, ?, ?)")
                .execute(arguments: [set.cursor, id, time, set.packed])
            batch.next = set.end
        }
        let last = batch.next > watchTallies.next ? batch.next - 1 : nil
        try watchTallies.finish(batch, in: db)
        return last
    }

    /// The watches that matched other articles of the article's near-duplicate cluster: its matches
    /// of them are copies. An article created in this batch as a cluster's root has none: its members,
    /// if any, are matched after it.
    private func clusterMatches(of id: Int64, newCluster: Int64?, in db: Database) throws -> Set<Int64> {
        let root: Int64?
        if let newCluster {
            root = newCluster == id ? nil : newCluster
        } else {
            root = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT coalesce(clusterId, id) FROM article WHERE id = ?"), arguments: [id])
        }
        guard let root else { return [] }
        return try matchedWatches(
            db,
            sql: """
                SELECT m.cursor, m.articleId, m.at, m.matches FROM article a JOIN match_set m ON m.articleId = a.id
                WHERE (a.id = ? OR a.clusterId = ?) AND a.id != ?
                """, arguments: [root, root, id])
    }

    /// The watches of the match sets a query returns.
    private func matchedWatches(_ db: Database, sql: String, arguments: StatementArguments) throws -> Set<Int64> {
        var watches = Set<Int64>()
        for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments) {
            watches.formUnion(MatchSet(row).entries.map(\.watch))
        }
        return watches
    }

    /// What dates and places are checked against: the article's date (ten characters of it, as
    /// ``ArticleFilter`` cuts it) or the day it was first ingested, and its place's words.
    private func facts(of article: Article, id: Int64, isNew: Bool, today: String, in db: Database) throws -> (
        day: String, place: [Substring]?
    ) {
        var day = today
        if let date = article.date?.value {
            day = String(date.unicodeScalars.prefix(10))
        } else if !isNew,
            let ingested = try Double.fetchOne(
                db.cachedStatement(sql: "SELECT ingestedAt FROM article WHERE id = ?"), arguments: [id])
        {
            day = Self.day(of: ingested)
        }
        let place = article.dateline?.place.map { place in
            analyzer.terms(in: place, mode: .query).map { Substring($0.term) }
        }
        return (day, place)
    }

    /// The UTC day of a time, as SQLite's `date(t, 'unixepoch')` writes it.
    static func day(of time: Double) -> String {
        CivilDay.text(Int32((time / 86_400).rounded(.down)))
    }

    /// One stored match, before it is dressed with its article's summary and snippet.
    private struct StoredMatch {
        var cursor: Int64
        var watch: Int64
        var article: Int64
        var isCopy: Bool
        var at: Double
    }

    private func matches(_ db: Database, _ found: [StoredMatch]) throws -> [WatchMatch] {
        var builders: [Int64: SnippetBuilder] = [:]
        let decoratedMatches = try decorated(
            db, found.map { ($0.article, $0.watch, $0.isCopy, $0.at) },
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
        return zip(found, decoratedMatches).compactMap { stored, decorated in
            guard var match = decorated else { return nil }
            match.cursor = stored.cursor
            match.watch = watchIndex.entry(id: stored.watch)?.name ?? ""
            return match
        }
    }

    /// Matches for `(article, watch, isCopy, at)` rows, in the same order, with the article's summary
    /// and a snippet built by the watch's own builder; nil where the article is not found.
    private func decorated(
        _ db: Database, _ rows: [(Int64, Int64, Bool, Double?)], snippets: (Int64) -> SnippetBuilder
    ) throws -> [WatchMatch?] {
        // An article matched by many watches comes many times in a page: read it once, and analyze
        // its body once for all their snippets (an article matching hundreds of watches otherwise
        // held up a follower's next article for a tenth of a second).
        var articles: [Int64: (summary: Summary, body: [UInt8], analyzed: ArticleAnalysis.Column?)] = [:]
        var times: [Int64: Int] = [:]
        for (articleID, _, _, _) in rows { times[articleID, default: 0] += 1 }
        return try rows.map { articleID, watch, isCopy, at in
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
                let analyzed =
                    times[articleID, default: 0] > 1
                    ? body.withUnsafeBufferPointer { SnippetBuilder.analyzedStart(of: $0, analyzer: analyzer) } : nil
                articles[articleID] = (summary, body, analyzed)
            }
            guard let article = articles[articleID] else { return nil }
            let builder = snippets(watch)
            let (snippet, highlights) = article.body.withUnsafeBufferPointer { body in
                article.analyzed.map { builder.snippet(of: body, analyzed: $0) }
                    ?? builder.snippet(of: body, passageEnd: nil)
            }
            return WatchMatch(
                cursor: 0, watch: "", article: article.summary, snippet: snippet, highlights: highlights,
                copy: isCopy ? true : nil, matched: at.map(Self.timestamp))
        }
    }
}
