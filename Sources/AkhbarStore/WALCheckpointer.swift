import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// Copies the write-ahead log back into the store on a connection of its own, so the writer never
/// waits for it.
///
/// SQLite's automatic checkpoint runs inside the commit that grew the log past 1,000 pages: the
/// writer copies the log's pages into the store and waits for two `fsync`s before it can start the
/// next batch (with no checkpoint at all, a 31k bulk ingest ran a fifth faster). Here the writer's commit only
/// signals (a WAL hook replaces the automatic checkpoint), and a passive checkpoint runs beside the
/// next batch. The log restarts from its beginning at the first commit after a checkpoint has caught
/// up; should the checkpoints fall behind and the log reach ``Limits/writer`` frames, the writer
/// checkpoints itself as SQLite would have, so the log stays bounded.
final class WALCheckpointer: Sendable {
    /// When to checkpoint, in frames of the log (a frame is one 4 KiB page).
    struct Limits: Sendable {
        /// A background checkpoint starts once the log is this long. At SQLite's default of 1,000,
        /// checkpointing off the writer gained little (31k ingest +3 %): each checkpoint copies and
        /// syncs pages that the next batches rewrite. At 8,000 (32 MB): 31k +3–10 %, and 1,728
        /// against 1,548 articles/s at 200k.
        var background: Int32
        /// The writer checkpoints in its own commit once the log is this long.
        var writer: Int32

        static let standard = Limits(background: 8_000, writer: 64_000)
    }

    private let limits: Limits
    private let connection: DatabaseQueue
    /// Whether a background checkpoint is queued and not yet started: one waiting is enough to copy
    /// every frame committed before it starts.
    private let scheduled = Mutex(false)

    init(path: String, limits: Limits) throws {
        self.limits = limits
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
        connection = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Installs the WAL hook on the writer's connection, in place of SQLite's automatic checkpoint.
    /// The store must keep `self` alive as long as that connection.
    func install(on writer: Database) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_wal_hook(writer.sqliteConnection, { context, db, name, frames in
            guard let context else { return SQLITE_OK }
            Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue().logDidGrow(to: frames, writer: db, name: name)
            return SQLITE_OK
        }, context)
    }

    /// Called by the writer after each commit, with the log's length in frames.
    private func logDidGrow(to frames: Int32, writer: OpaquePointer?, name: UnsafePointer<CChar>?) {
        if frames >= limits.writer {
            // SQLITE_BUSY while a background checkpoint runs: it is copying these very frames.
            sqlite3_wal_checkpoint_v2(writer, name, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        } else if frames >= limits.background, scheduled.withLock({ scheduled in
            defer { scheduled = true }
            return !scheduled
        }) {
            connection.asyncWriteWithoutTransaction { db in
                self.scheduled.withLock { $0 = false }
                // Readers may still need some frames and the writer goes on adding more: a passive
                // checkpoint copies what it can and leaves the rest to the next one.
                _ = sqlite3_wal_checkpoint_v2(db.sqliteConnection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            }
        }
    }

    /// Returns once the background checkpoints asked for so far have run.
    func waitForBackground() async throws {
        try await connection.writeWithoutTransaction { _ in }
    }

    /// Copies the whole log into the store and truncates it, after any background checkpoint; waits
    /// for the writer's current transaction. For idle moments.
    func truncate() async throws {
        try await connection.writeWithoutTransaction { db in
            var logFrames: Int32 = 0
            var copied: Int32 = 0
            let code = sqlite3_wal_checkpoint_v2(db.sqliteConnection, nil, SQLITE_CHECKPOINT_TRUNCATE, &logFrames, &copied)
            guard code == SQLITE_OK else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "checkpoint: \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
            }
        }
    }
}
