import ArabicText
import Foundation
import GRDB

/// The SQLite archive of articles: one writer that ingests in batches, many concurrent readers.
///
/// WAL mode lets `Search` run while a batch commits; each batch is one transaction, so a file's
/// record, its articles and their index entries are committed together or not at all.
public final class ArticleStore: Sendable {
    public let path: String
    let pool: DatabasePool
    let analyzer = ArabicAnalyzer()
    let phraseCounts = PhraseCounts()
    let documentLengths = DocumentLengths()
    /// The saved searches, compiled, for matching each committed article.
    let watchIndex = WatchIndex()
    /// Each watch's matches counted, and the next match cursor.
    let watchTallies = WatchTallies()
    /// The archive as `Terms` compares matching articles with it.
    let archiveSample = ArchiveSample()
    /// What `Count` groups by, in memory.
    let articleFacets = ArticleFacets()
    let checkpointer: WALCheckpointer
    /// At most about this many matches are ranked: a search whose every word is in more articles than
    /// this ranks the newest of them. Ranking costs a couple of microseconds a match, so a word found
    /// in half of a 200,000-article archive would otherwise cost a fifth of a second, to rank articles
    /// that such a word says little about. 1,000 rather than 5,000: Search p50 −13 % and p99 −37 % on
    /// the 31k corpus going to 2,000, and faster again going to 1,000 (measured together with another
    /// change, see `bench/README.md`), with search quality within 0.003 MRR@10 (`bench/search-quality`).
    let rankedMatches: Int

    /// Opens (creating if needed) and migrates the store at `path`.
    public convenience init(path: String, rankedMatches: Int = 1_000) throws {
        try self.init(path: path, rankedMatches: rankedMatches, walLimits: .standard)
    }

    /// `migratedUpTo` stops at an earlier migration, to make stores of an older schema.
    init(path: String, rankedMatches: Int, walLimits: WALCheckpointer.Limits, migratedUpTo: String? = nil) throws {
        self.path = path
        self.rankedMatches = rankedMatches
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(10)
        configuration.maximumReaderCount = 8
        let lengths = documentLengths
        let checkpointer = WALCheckpointer(path: path, limits: walLimits)
        configuration.prepareDatabase { db in
            FullTextIndex.register(on: db, lengths: lengths)
            // A crash may lose the last batch but never corrupts the store; NORMAL is WAL's safe default.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Readers never commit; this closure, kept by the pool, keeps the checkpointer alive for
            // the writer's hook.
            if !db.configuration.readonly { checkpointer.install(on: db) }
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        if let migratedUpTo {
            try StoreSchema.migrator.migrate(pool, upTo: migratedUpTo)
        } else {
            try StoreSchema.migrator.migrate(pool)
        }
        try checkpointer.open()
        self.checkpointer = checkpointer
        try pool.writeWithoutTransaction { db in
            // The writer alone gets a large page cache, so the FTS index's hot pages stay in memory
            // during a bulk ingest; readers keep SQLite's small default.
            try db.execute(sql: "PRAGMA cache_size = -32768")
            // A WAL grown by a burst shrinks back to this once checkpointed.
            try db.execute(sql: "PRAGMA journal_size_limit = 8388608")
        }
        documentLengths.record(try pool.read { try DocumentLengths.read($0, ids: nil) })
        try loadWatches()
    }

    /// Commits a write that changes nothing, to learn before taking files in whether the store can be
    /// written at all (a read-only file or file system fails here; a full disk may only fail later).
    public func checkWritable() async throws {
        try await pool.write { db in
            let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            try db.execute(sql: "PRAGMA user_version = \(version)")
        }
    }

    /// Copies the write-ahead log into the database and truncates it; for idle moments. Returns false
    /// when searches kept reading the log for a second: the next idle moment tries again.
    @discardableResult
    public func checkpoint() async throws -> Bool {
        try await checkpointer.truncate()
    }

    /// How many articles the archive holds: ids are given in arrival order and rows are never
    /// deleted, so it is the highest id, found without counting rows.
    static func archiveSize(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(id) FROM article")) ?? 0
    }

    /// How many articles the archive holds; see ``archiveSize(_:)``.
    public func archiveSize() async throws -> Int64 {
        try await pool.read { try Self.archiveSize($0) }
    }

    /// Gives back the page caches of every connection (idle readers are closed and reopened when next
    /// needed); for idle moments, after an ingest or a merge has filled them.
    public func releaseMemory() async {
        pool.releaseMemoryEventually()
        // Queued behind the writer's release, so that has happened when this returns.
        try? await pool.writeWithoutTransaction { _ in }
    }

    /// Merges the full-text index's segments, about `pages` pages of work at a time; returns whether
    /// there was anything left to merge. A bulk ingest leaves the index in a dozen or more segments, and
    /// every term of every search is looked up in each one; merged into one, a search reads each posting
    /// list once. Small steps keep the writer free for new articles in between.
    public func mergeIndexStep(pages: Int) async throws -> Bool {
        try await pool.writeWithoutTransaction { db in
            let before = db.totalChangesCount
            // A negative page count merges every segment into one, not only levels that are full.
            try db.execute(
                sql: "INSERT INTO article_fts(article_fts, rank) VALUES ('merge', ?)", arguments: [-max(pages, 1)])
            // The command itself counts as one change; a merge that did work made more.
            return db.totalChangesCount - before > 1
        }
    }

    /// The stamps of every drop file as last ingested, for a restart's reconcile.
    public func fileStamps() async throws -> [String: FileStamp] {
        try await pool.read { db in
            var stamps: [String: FileStamp] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT path, inode, size, mtime FROM file")
            while let row = try rows.next() {
                stamps[row[0]] = FileStamp(inode: UInt64(bitPattern: row[1]), size: row[2], mtime: row[3])
            }
            return stamps
        }
    }

    /// Bytes used on disk by the store and its write-ahead log.
    public var sizeOnDisk: Int {
        [path, path + "-wal", path + "-shm"].reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        }
    }
}
