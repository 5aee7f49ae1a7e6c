import Articles
import Foundation
import GRDB

extension ArticleStore {
    /// Applies a batch of changes in one transaction.
    ///
    /// Re-ingesting unchanged content changes nothing; a modified file updates its article in place
    /// (same id) unless another file shares that article; a file's disappearance only marks its
    /// sources gone, because the store is the archive and the drop folder merely the inbox.
    public func apply(_ items: [IngestItem], now: Date = Date()) async throws -> IngestResult {
        let (result, lengths) = try await pool.write { db in
            var result = IngestResult()
            let time = now.timeIntervalSince1970
            for item in items {
                switch item {
                case .parsed(let path, let stamp, let file):
                    try record(stamp, of: path, at: time, in: db)
                    try ingest(file, from: path, at: time, into: db, result: &result)
                case .rejected(let path, let stamp, let reason):
                    try record(stamp, of: path, at: time, in: db)
                    try db.cachedStatement(sql: "UPDATE source SET gone = 1 WHERE path = ?").execute(arguments: [path])
                    try db.cachedStatement(sql: "DELETE FROM rejection WHERE path = ?").execute(arguments: [path])
                    try reject(path, position: Self.wholeFile, reason: reason, at: time, in: db)
                case .gone(let path, let tree):
                    let (condition, arguments) = Self.pathCondition(path, tree: tree)
                    try db.execute(sql: "DELETE FROM file WHERE \(condition)", arguments: arguments)
                    try db.execute(sql: "DELETE FROM rejection WHERE \(condition)", arguments: arguments)
                    try db.execute(sql: "UPDATE source SET gone = 1 WHERE \(condition)", arguments: arguments)
                }
            }
            // In the same transaction: a match is stored exactly when its article is.
            if !watchIndex.isEmpty { result.lastMatch = try matchWatches(result.fresh, at: time, in: db) }
            return (result, try DocumentLengths.read(db, ids: result.changed + result.reindexed))
        }
        // Only now: had the batch rolled back, its ids would be given again to other articles.
        documentLengths.record(lengths)
        return result
    }

    /// Files once recorded as rejected because they could not be opened or read: such a failure
    /// says nothing about the content, so a reconcile tries them again whatever their stamp says.
    /// (The daemon no longer records these; stores written before may hold some.)
    public func unreadableFiles() async throws -> Set<String> {
        try await pool.read { db in
            try Set(
                String.fetchAll(
                    db,
                    sql: """
                        SELECT path FROM rejection
                        WHERE position = ? AND (reason LIKE 'cannot open:%' OR reason LIKE 'cannot read:%')
                        """, arguments: [Self.wholeFile]))
        }
    }

    /// The position recorded for a rejection of a whole file rather than one of its articles.
    static let wholeFile = -1

    private static func pathCondition(_ path: String, tree: Bool) -> (String, StatementArguments) {
        guard tree else { return ("path = ?", [path]) }
        // A range scan instead of LIKE, so that '%' and '_' in names mean nothing.
        let prefix = path.hasSuffix("/") ? path : path + "/"
        return ("(path = ? OR (path >= ? AND path < ?))", [path, prefix, prefix.dropLast() + "0"])
    }

    private func record(_ stamp: FileStamp, of path: String, at time: Double, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO file(path, inode, size, mtime, seenAt) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(path) DO UPDATE SET inode = excluded.inode, size = excluded.size,
                    mtime = excluded.mtime, seenAt = excluded.seenAt
                """
        ).execute(arguments: [path, Int64(bitPattern: stamp.inode), stamp.size, stamp.mtime, time])
    }

    private func reject(_ path: String, position: Int, reason: String, at time: Double, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO rejection(path, position, reason, at) VALUES (?, ?, ?, ?)
                ON CONFLICT(path, position) DO UPDATE SET reason = excluded.reason, at = excluded.at
                """
        ).execute(arguments: [path, position, reason, time])
    }

    private func ingest(
        _ file: PreparedFile, from path: String, at time: Double, into db: Database, result: inout IngestResult
    ) throws {
        var previous: [Int: (article: Int64, rawFile: Int64?)] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(sql: "SELECT position, articleId, rawFile FROM source WHERE path = ?"), arguments: [path]
        ) {
            previous[row[0]] = (row[1], row[2])
        }
        // Runs for every ingested file, so its statements are prepared once per connection.
        try db.cachedStatement(sql: "DELETE FROM rejection WHERE path = ?").execute(arguments: [path])
        var seen = Set<Int>()
        var keptFile: Int64?
        for item in file.items {
            seen.insert(item.position)
            switch item.content {
            case .rejected(let reason):
                try reject(path, position: item.position, reason: reason, at: time, in: db)
            case .article(let article):
                let earlier = previous[item.position]
                let (id, joined) = try place(
                    article, previous: earlier?.article, path: path, position: item.position, at: time, in: db,
                    result: &result)
                result.articles[path, default: []].append(id)
                // A copy joining an article may differ from it in line breaks, and so in what they parse to.
                var stored: Row?
                if joined {
                    stored = try Row.fetchOne(
                        db.cachedStatement(
                            sql: "SELECT outlet, author, date, datePrecision, original FROM article WHERE id = ?"),
                        arguments: [id])
                }
                let (rawForm, rawFile) = try keep(
                    file.bytes, of: article, sameOriginal: stored.map { Self.sameOriginal(article, $0) } ?? true,
                    kept: &keptFile, in: db)
                if earlier == nil {
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO source(path, position, articleId, firstSeen, gone, rawForm, rawFile)
                            VALUES (?, ?, ?, ?, 0, ?, ?)
                            """
                    )
                    .execute(arguments: [path, item.position, id, time, rawForm, rawFile])
                } else {
                    try db.cachedStatement(
                        sql: """
                            UPDATE source SET articleId = ?, gone = 0, rawForm = ?, rawFile = ?
                            WHERE path = ? AND position = ?
                            """
                    )
                    .execute(arguments: [id, rawForm, rawFile, path, item.position])
                }
                if let old = earlier?.rawFile, old != rawFile { try forgetUnused(rawFile: old, in: db) }
                let own = stored.flatMap { Self.ownMetadata(article, differingFrom: $0) }
                // A source seen for the first time has no metadata of its own recorded yet: the
                // bulk of an ingest skips the lookup.
                if own != nil || earlier != nil {
                    try record(own, of: path, position: item.position, article: id, in: db, result: &result)
                }
            }
        }
        for position in previous.keys where !seen.contains(position) {
            try db.execute(
                sql: "UPDATE source SET gone = 1 WHERE path = ? AND position = ?", arguments: [path, position])
        }
    }

    /// How a source keeps its bytes: `rawForm` and `rawFile` for its row, the file written (once a
    /// file, into `kept`) when needed. The form rebuilds the bytes from the source's own original,
    /// so when that is not quite the article's (`sameOriginal` false) they are kept whole instead.
    private func keep(
        _ bytes: SourceBytes?, of article: PreparedArticle, sameOriginal: Bool, kept: inout Int64?, in db: Database
    ) throws -> (rawForm: Int?, rawFile: Int64?) {
        switch bytes {
        case nil:
            return (nil, nil)
        case .form(let form) where sameOriginal:
            return (form.rawValue, nil)
        case .form(let form):
            guard let rebuilt = form.bytes(of: article.article.original) else { return (nil, nil) }
            return (nil, try write(RawFile(rebuilt), in: db))
        case .file(let file):
            if let kept { return (nil, kept) }
            kept = try write(file, in: db)
            return (nil, kept)
        }
    }

    /// The id of the row holding `file`'s content, written if no row holds it yet.
    private func write(_ file: RawFile, in db: Database) throws -> Int64 {
        if let id = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM raw_file WHERE hash = ?"), arguments: [file.hash])
        {
            return id
        }
        try db.cachedStatement(sql: "INSERT INTO raw_file(hash, size, bytes, compressed) VALUES (?, ?, ?, ?)")
            .execute(arguments: [file.hash, file.size, file.stored, file.compressed])
        return db.lastInsertedRowID
    }

    /// Deletes a kept file no source points at any more (its file changed).
    private func forgetUnused(rawFile id: Int64, in db: Database) throws {
        try db.cachedStatement(
            sql: "DELETE FROM raw_file WHERE id = ? AND NOT EXISTS (SELECT 1 FROM source WHERE rawFile = ?)"
        ).execute(arguments: [id, id])
    }

    private static func sameOriginal(_ article: PreparedArticle, _ stored: Row) -> Bool {
        StoredText.text(from: stored["original"]) == article.article.original
    }

    /// A copy's outlet, author and date when any differs from its article's (`stored`), else nil.
    private static func ownMetadata(_ prepared: PreparedArticle, differingFrom stored: Row) -> [DatabaseValue]? {
        let article = prepared.article
        let own: [DatabaseValue] = [
            article.outlet.databaseValue, article.author.databaseValue, article.date?.value.databaseValue ?? .null,
            article.date?.precision.rawValue.databaseValue ?? .null,
        ]
        let theirs: [DatabaseValue] = [stored["outlet"], stored["author"], stored["date"], stored["datePrecision"]]
        return own == theirs ? nil : own
    }

    /// Records a source's own metadata (nil: its article's), keeping the full-text entries of the
    /// articles it leaves and joins in step with their sources' names.
    private func record(
        _ own: [DatabaseValue]?, of path: String, position: Int, article id: Int64, in db: Database,
        result: inout IngestResult
    ) throws {
        let old = try Row.fetchOne(
            db.cachedStatement(
                sql:
                    "SELECT articleId, outlet, author, date, datePrecision FROM source_meta WHERE path = ? AND position = ?"
            ), arguments: [path, position])
        if old == nil && own == nil { return }
        if let old, let own, old["articleId"] == id, Array(old.databaseValues.dropFirst()) == own { return }
        let touched = Set([old?["articleId"] as Int64?, own == nil ? nil : id].compactMap { $0 })
        for article in touched { try FullTextEntry.remove(id: article, in: db) }
        if let own {
            try db.cachedStatement(
                sql: """
                    INSERT INTO source_meta(path, position, articleId, outlet, author, date, datePrecision)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(path, position) DO UPDATE SET articleId = excluded.articleId, outlet = excluded.outlet,
                        author = excluded.author, date = excluded.date, datePrecision = excluded.datePrecision
                    """
            ).execute(
                arguments: StatementArguments([path.databaseValue, position.databaseValue, id.databaseValue] + own))
        } else {
            try db.cachedStatement(sql: "DELETE FROM source_meta WHERE path = ? AND position = ?")
                .execute(arguments: [path, position])
        }
        for article in touched {
            try FullTextEntry.restore(id: article, in: db)
            result.reindexed.insert(article)
        }
    }

    /// Finds or makes the article row for `article`: its id, and whether it was already stored
    /// under the same text (`joined`) rather than made or rewritten from this one.
    private func place(
        _ prepared: PreparedArticle, previous: Int64?, path: String, position: Int, at time: Double,
        in db: Database, result: inout IngestResult
    ) throws -> (id: Int64, joined: Bool) {
        let hash = prepared.contentHash
        if let existing = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM article WHERE contentHash = ?"), arguments: [hash])
        {
            return (existing, true)
        }
        if let previous {
            let sharers =
                try Int.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT count(*) FROM source WHERE articleId = ? AND NOT (path = ? AND position = ?)"),
                    arguments: [previous, path, position]) ?? 0
            if sharers == 0 {
                try FullTextEntry.remove(id: previous, in: db)
                // Only this source was left to name the article otherwise, and it now is the article.
                try db.cachedStatement(sql: "DELETE FROM source_meta WHERE articleId = ?").execute(arguments: [previous]
                )
                try db.cachedStatement(
                    sql: """
                        UPDATE article SET contentHash = ?, title = ?, titleDerived = ?, body = ?, outlet = ?, section = ?,
                            author = ?, date = ?, datePrecision = ?, place = ?, agency = ?, url = ?, extraFields = ?,
                            original = ?, simhash = ?, updatedAt = ?
                        WHERE id = ?
                        """
                ).execute(
                    arguments: Self.columns(of: prepared) + [
                        prepared.simhash.map { Int64(bitPattern: $0.value) }, time, previous,
                    ])
                try FullTextEntry.add(id: previous, prepared, in: db)
                try db.execute(sql: "DELETE FROM simhash_band WHERE articleId = ?", arguments: [previous])
                try storeBands(of: prepared, for: previous, in: db)
                result.fresh.append(FreshArticle(id: previous, article: prepared, newCluster: nil))
                return (previous, false)
            }
        }
        let cluster = try nearestCluster(of: prepared, in: db)
        try db.cachedStatement(
            sql: """
                INSERT INTO article(contentHash, title, titleDerived, body, outlet, section, author, date, datePrecision,
                    place, agency, url, extraFields, original, simhash, clusterId, updatedAt, ingestedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: Self.columns(of: prepared)
                + [prepared.simhash.map { Int64(bitPattern: $0.value) }, cluster, time, time])
        let id = db.lastInsertedRowID
        try FullTextEntry.add(id: id, prepared, in: db)
        try storeBands(of: prepared, for: id, in: db)
        result.fresh.append(FreshArticle(id: id, article: prepared, newCluster: cluster ?? id))
        return (id, false)
    }

    /// The cluster of the nearest near-duplicate already stored, or nil: the article then roots
    /// its own cluster (`clusterId` NULL, members pointing at the root's id).
    private func nearestCluster(of prepared: PreparedArticle, in db: Database) throws -> Int64? {
        guard let simhash = prepared.simhash else { return nil }
        var best = SimHash.maximumDistance + 1
        var cluster: Int64?
        let lookup = try db.cachedStatement(
            sql: """
                SELECT a.simhash, coalesce(a.clusterId, a.id) FROM simhash_band b
                JOIN article a INDEXED BY article_lookup ON a.id = b.articleId
                WHERE b.band = ? AND b.value = ? LIMIT 64
                """)
        for band in 0..<SimHash.bands {
            for row in try Row.fetchAll(lookup, arguments: [band, simhash.band(band)]) {
                let distance = simhash.distance(to: SimHash(value: UInt64(bitPattern: row[0])))
                let candidate: Int64 = row[1]
                if distance < best || (distance == best && candidate < (cluster ?? .max)) {
                    best = distance
                    cluster = candidate
                }
            }
        }
        return cluster
    }

    private func storeBands(of prepared: PreparedArticle, for id: Int64, in db: Database) throws {
        guard let simhash = prepared.simhash else { return }
        let insert = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO simhash_band(band, value, articleId) VALUES (?, ?, ?)")
        for band in 0..<SimHash.bands {
            try insert.execute(arguments: [band, simhash.band(band), id])
        }
    }

    private static func columns(of prepared: PreparedArticle) -> StatementArguments {
        let article = prepared.article
        return [
            prepared.contentHash, article.title, article.titleIsDerived, article.body, article.outlet, article.section,
            article.author, article.date?.value, article.date?.precision.rawValue, article.dateline?.place,
            article.dateline?.agency, article.url, article.extraFields, prepared.storedOriginal.databaseValue,
        ]
    }
}
