import GRDB
import Synchronization

/// Each watch's count of stories matched and its newest match, and the next cursor to give: kept in
/// memory and written to the `watch` rows only now and then.
///
/// Written with every match, these rows cost the writer a statement per match, as much as the match
/// itself. They are written at most once every ``checkpointInterval`` instead, in a batch's
/// transaction, together with the cursor they account for (`match_state.tallied`); a start reads
/// them and adds the few sets committed since, so a crash loses nothing.
final class WatchTallies: Sendable {
    /// One watch's figures.
    struct Tally: Sendable, Equatable {
        /// Stories matched: copies of an earlier match's story are not counted.
        var count = 0
        var last: Int64?
        var lastAt: Double?

        mutating func record(cursor: Int64, at: Double, isCopy: Bool) {
            if !isCopy { count += 1 }
            last = cursor
            lastAt = at
        }
    }

    /// The changes of one batch, applied in memory only once its transaction commits.
    struct Batch: Sendable {
        fileprivate let base: [Int64: Tally]
        fileprivate(set) var changed: [Int64: Tally] = [:]
        /// The cursor the batch's next set starts at.
        var next: Int64
        fileprivate var checkpoint = false

        subscript(watch: Int64) -> Tally {
            get { changed[watch] ?? base[watch] ?? Tally() }
            set { changed[watch] = newValue }
        }
    }

    private struct State {
        var tallies: [Int64: Tally] = [:]
        var next: Int64 = 1
        /// Watches changed since their rows were last written.
        var unwritten: Set<Int64> = []
        var lastCheckpoint = ContinuousClock.now
    }

    /// How long the `watch` rows may lag behind the matches; a start replays at most this much.
    static let checkpointInterval = Duration.seconds(2)

    private let state = Mutex(State())

    /// The cursor after the newest committed match.
    var next: Int64 { state.withLock { $0.next } }

    func tally(of watch: Int64) -> Tally { state.withLock { $0.tallies[watch] ?? Tally() } }

    func batch() -> Batch {
        state.withLock { Batch(base: $0.tallies, next: $0.next) }
    }

    func forget(_ watch: Int64) {
        _ = state.withLock { $0.tallies.removeValue(forKey: watch) }
    }

    /// Ends a batch inside its transaction: writes the tallies not yet written when a checkpoint is
    /// due, and the next cursor, and arranges for memory to follow only if the transaction commits.
    func finish(_ batch: Batch, in db: Database) throws {
        guard batch.next != next else { return }
        var batch = batch
        let (due, unwritten) = state.withLock { state in
            (state.lastCheckpoint.duration(to: .now) >= Self.checkpointInterval, state.unwritten)
        }
        batch.checkpoint = due
        if due {
            let update = try db.cachedStatement(
                sql: "UPDATE watch SET matchCount = ?, lastSeq = ?, lastMatchAt = ? WHERE id = ?")
            for watch in unwritten.union(batch.changed.keys) {
                let tally = batch[watch]
                try update.execute(arguments: [tally.count, tally.last, tally.lastAt, watch])
            }
        }
        try db.execute(
            sql: "UPDATE match_state SET next = ?\(due ? ", tallied = ?" : "")",
            arguments: due ? [batch.next, batch.next] : [batch.next])
        let finished = batch
        db.afterNextTransaction(onCommit: { _ in self.commit(finished) })
    }

    private func commit(_ batch: Batch) {
        state.withLock { state in
            state.tallies.merge(batch.changed) { _, new in new }
            state.next = max(state.next, batch.next)
            if batch.checkpoint {
                state.unwritten = []
                state.lastCheckpoint = .now
            } else {
                state.unwritten.formUnion(batch.changed.keys)
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
