import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// Copies the write-ahead log back into the store on a connection of its own, so that the writer
/// rarely waits for it.
///
/// SQLite's automatic checkpoint runs inside the commit that grew the log past 1,000 pages: the
/// writer copies the log's pages into the store and waits for two `fsync`s before it can start the
/// next batch (with no checkpoint at all, a 31k bulk ingest ran a fifth faster). Here a WAL hook
/// replaces it. Every ``Limits/background`` frames a commit only signals, and a passive checkpoint
/// copies the log into the store beside the next batches. The log can restart from its beginning
/// only at a transaction that begins with all of it copied, which a writer committing batch after
/// batch never sees; so once the log reaches ``Limits/writer`` frames the writer checkpoints in its
/// own commit, which leaves it only the frames the background has not copied yet, and the log
/// restarts. A bulk ingest thus cycles the log up to that limit (266 MB at most in a 31k ingest);
/// a trickle of files leaves time for the background to catch up, and the log restarts sooner.
final class WALCheckpointer: Sendable {
    /// When to checkpoint, in frames of the log (a frame is one 4 KiB page).
    struct Limits: Sendable {
        /// A background checkpoint starts once the log is this long. Checkpointing every 1,000 frames
        /// off the writer gained little (31k ingest +3 %): each syncs pages that the next batches
        /// rewrite. Every 8,000, with the writer's limit at 64,000: 31k +3–10 %, and 1,728 against
        /// 1,548 articles/s at 200k.
        var background: Int32
        /// The writer checkpoints in its own commit once the log is this long.
        var writer: Int32

        static let standard = Limits(background: 8_000, writer: 64_000)
    }

    private let path: String
    private let limits: Limits
    /// Opened by ``open()`` once the store exists in WAL mode; until then only the writer checkpoints.
    private let connection = Mutex<DatabaseQueue?>(nil)
    /// Whether a background checkpoint is queued and not yet started: one waiting is enough to copy
    /// every frame committed before it starts.
    private let scheduled = Mutex(false)

    init(path: String, limits: Limits) {
        self.path = path
        self.limits = limits
    }

    /// Opens the checkpoints' own connection; call it once the store has been opened and migrated.
    func open() throws {
        var configuration = Configuration()
        configuration.label = "akhbar.checkpoint"
        // Only the truncating checkpoint of an idle moment waits: for the writer's lock, then for
        // readers to leave the log, holding off new commits meanwhile. Under a steady stream of
        // searches it gives up after a second rather than stall ingest; the next idle moment tries again.
        configuration.busyMode = .timeout(1)
        configuration.prepareDatabase { db in
            // The store's own durability: the log is synced before it is copied, the store after.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        connection.withLock { $0 = queue }
    }

    /// Installs the WAL hook on the writer's connection, in place of SQLite's automatic checkpoint.
    /// Call it from the pool's `prepareDatabase`, whose closure, kept by the pool, must hold `self`:
    /// the hook points at it for as long as the connection lives.
    func install(on writer: Database) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_wal_hook(
            writer.sqliteConnection,
            { context, db, name, frames in
                guard let context else { return SQLITE_OK }
                Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue().logDidGrow(
                    to: frames, writer: db, name: name)
                return SQLITE_OK
            }, context)
    }

    /// Called by the writer after each commit, with the log's length in frames.
    private func logDidGrow(to frames: Int32, writer: OpaquePointer?, name: UnsafePointer<CChar>?) {
        if frames >= limits.writer {
            // SQLITE_BUSY while a background checkpoint runs: it is copying these very frames.
            sqlite3_wal_checkpoint_v2(writer, name, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        } else if frames >= limits.background, let connection = connection.withLock({ $0 }),
            scheduled.withLock({ scheduled in
                defer { scheduled = true }
                return !scheduled
            })
        {
            connection.asyncWriteWithoutTransaction { db in
                self.scheduled.withLock { $0 = false }
                // Readers may still need some frames and the writer goes on adding more: a passive
                // checkpoint copies what it can and leaves the rest to the next one. A failure (a full
                // disk, say) leaves the frames in the log, still read from there; the idle checkpoint
                // meets it again and reports it.
                _ = sqlite3_wal_checkpoint_v2(db.sqliteConnection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            }
        }
    }

    private var openConnection: DatabaseQueue {
        get throws {
            guard let queue = connection.withLock({ $0 }) else {
                throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the checkpoint connection is not open")
            }
            return queue
        }
    }

    /// Returns once the background checkpoints asked for so far have run.
    func waitForBackground() async throws {
        try await openConnection.writeWithoutTransaction { _ in }
    }

    /// Copies the whole log into the store and truncates it, after any background checkpoint; waits
    /// up to a second for the writer's current transaction and for readers, and returns false if
    /// they were still there. For idle moments.
    func truncate() async throws -> Bool {
        try await openConnection.writeWithoutTransaction { db in
            let code = sqlite3_wal_checkpoint_v2(db.sqliteConnection, nil, SQLITE_CHECKPOINT_TRUNCATE, nil, nil)
            if code == SQLITE_BUSY { return false }
            guard code == SQLITE_OK else {
                let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "checkpoint: \(message)")
            }
            return true
        }
    }
}
