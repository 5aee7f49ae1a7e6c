import GRDB
import Synchronization

/// Each watch's count of stories matched and its newest match, and the next cursor to give: kept in
/// memory and written to the `watch` rows only now and then.
///
/// Written with every match, these rows cost the writer a statement per match, as much as the match
/// itself. They are written when ingest goes quiet (``write(in:)``), and during a long burst at most
/// once every ``checkpointInterval`` in a batch's transaction, each time with the cursor they account
/// for (`match_state.tallied`); a start reads them and adds the sets committed since, so a crash
/// loses nothing. Thousands of rows written in a batch of a steady trickle would delay its alerts.
final class WatchTallies: Sendable {
    /// One watch's figures.
    struct Tally: Sendable, Equatable {
        /// Stories matched: copies of an earlier match's story are not counted.
        var count = 0
        var last: Int64?
        var lastAt: Double?

        /// Counts a match; returns the cursor of the match before it.
        @discardableResult
        mutating func record(cursor: Int64, at: Double, isCopy: Bool) -> Int64? {
            let previous = last
            if !isCopy { count += 1 }
            last = cursor
            lastAt = at
            return previous
        }
    }

    /// The changes of one batch, applied in memory only once its transaction commits.
    struct Batch: Sendable {
        fileprivate let base: [Int64: Tally]
        fileprivate(set) var changed: [Int64: Tally] = [:]
        /// The cursor the batch's next set starts at.
        var next: Int64
        fileprivate var checkpoint = false

        fileprivate init(base: [Int64: Tally], next: Int64, checkpoint: Bool = false) {
            self.base = base
            self.next = next
            self.checkpoint = checkpoint
        }

        /// The watch's tally with the batch's matches so far.
        subscript(watch: Int64) -> Tally {
            changed[watch] ?? base[watch] ?? Tally()
        }

        /// Records a match of `watch` and returns the cursor of its match before: one lookup a
        /// match, where reading the tally and then writing it back took three.
        mutating func record(_ watch: Int64, cursor: Int64, at time: Double, isCopy: Bool) -> Int64? {
            let base = self.base
            return changed[watch, default: base[watch] ?? Tally()].record(cursor: cursor, at: time, isCopy: isCopy)
        }
    }

    private struct State {
        var tallies: [Int64: Tally] = [:]
        var next: Int64 = 1
        /// Watches changed since their rows were last written.
        var unwritten: Set<Int64> = []
        var lastCheckpoint = ContinuousClock.now
    }

    /// How long the `watch` rows may lag behind the matches while ingest never goes quiet; a start
    /// replays at most this much.
    static let checkpointInterval = Duration.seconds(60)

    private let state = Mutex(State())

    /// The cursor after the newest committed match.
    var next: Int64 { state.withLock { $0.next } }

    func tally(of watch: Int64) -> Tally { state.withLock { $0.tallies[watch] ?? Tally() } }

    func batch() -> Batch {
        state.withLock { Batch(base: $0.tallies, next: $0.next) }
    }

    func forget(_ watch: Int64) {
        state.withLock { state in
            state.tallies[watch] = nil
            state.unwritten.remove(watch)
        }
    }

    /// Ends a batch inside its transaction: writes the tallies not yet written when a checkpoint is
    /// due, and the next cursor, and arranges for memory to follow only if the transaction commits.
    func finish(_ batch: Batch, in db: Database) throws {
        guard batch.next != next else { return }
        var batch = batch
        batch.checkpoint = state.withLock { $0.lastCheckpoint.duration(to: .now) >= Self.checkpointInterval }
        if batch.checkpoint {
            try write(Set(batch.changed.keys).union(state.withLock { $0.unwritten }), of: batch, in: db)
        } else {
            try db.execute(sql: "UPDATE match_state SET next = ?", arguments: [batch.next])
        }
        // Without the batch's copy of the tallies: held until the commit, it made merging into
        // them copy every watch's tally, once a batch.
        let (changed, next, checkpoint) = (batch.changed, batch.next, batch.checkpoint)
        db.afterNextTransaction(onCommit: { _ in self.commit(changed, next: next, checkpoint: checkpoint) })
    }

    /// Writes the tallies not written yet, in a transaction of their own (the writer's: no batch
    /// commits meanwhile, so memory and the rows agree).
    func write(in db: Database) throws {
        let (unwritten, batch) = state.withLock { state in
            (state.unwritten, Batch(base: state.tallies, next: state.next, checkpoint: true))
        }
        guard !unwritten.isEmpty else { return }
        try write(unwritten, of: batch, in: db)
        let next = batch.next
        db.afterNextTransaction(onCommit: { _ in self.commit([:], next: next, checkpoint: true) })
    }

    private func write(_ watches: Set<Int64>, of batch: Batch, in db: Database) throws {
        let update = try db.cachedStatement(
            sql: "UPDATE watch SET matchCount = ?, lastSeq = ?, lastMatchAt = ? WHERE id = ?")
        for watch in watches {
            let tally = batch[watch]
            try update.execute(arguments: [tally.count, tally.last, tally.lastAt, watch])
        }
        try db.execute(sql: "UPDATE match_state SET next = ?, tallied = ?", arguments: [batch.next, batch.next])
    }

    private func commit(_ changed: [Int64: Tally], next: Int64, checkpoint: Bool) {
        state.withLock { state in
            state.tallies.merge(changed) { _, new in new }
            state.next = max(state.next, next)
            if checkpoint {
                state.unwritten = []
                state.lastCheckpoint = .now
            } else {
                state.unwritten.formUnion(changed.keys)
            }
        }
    }

    /// Reads the tallies as last written, then adds the sets committed after them.
    func load(_ db: Database, watches: [Int64: Tally]) throws {
        var tallies = watches
        var next: Int64 = 1
        var tallied: Int64 = 1
        if let row = try Row.fetchOne(db, sql: "SELECT next, tallied FROM match_state") {
            (next, tallied) = (row[0], row[1])
        }
        let sets = try Row.fetchCursor(
            db, sql: "SELECT cursor, articleId, at, matches FROM match_set WHERE cursor >= ? ORDER BY cursor",
            arguments: [tallied])
        var unwritten: Set<Int64> = []
        while let row = try sets.next() {
            let set = MatchSet(row)
            for (k, entry) in set.entries.enumerated() where tallies[entry.watch] != nil {
                tallies[entry.watch]?.record(cursor: set.cursor + Int64(k), at: set.at, isCopy: entry.isCopy)
                unwritten.insert(entry.watch)
            }
            next = max(next, set.end)
        }
        state.withLock { state in
            state.tallies = tallies
            state.next = next
            state.unwritten = unwritten
        }
    }
}
