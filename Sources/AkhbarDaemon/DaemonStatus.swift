import AkhbarProtocol
import AkhbarStore
import Foundation
import Synchronization

/// The daemon's state as reported by `Stats` and the service manager's status line, with the
/// problems that keep it from its work.
///
/// A problem is kept under a key until whatever raised it sees its cause gone and clears that
/// key, so an unrelated event (a reload, another problem) never hides one that is still there.
/// Failing commits are not kept here but read from the pipeline, which knows when they succeed.
final class DaemonStatus: Sendable {
    static let version = "0.1.0"

    /// What a problem is about; one problem per key.
    struct Key: Hashable, Sendable, CustomStringConvertible {
        let description: String

        /// The drop folder was removed or moved away.
        static let dropFolder = Key(description: "drop-folder")
        /// Batches fail to commit.
        static let commit = Key(description: "commit")
        /// The last reload was refused.
        static let reload = Key(description: "reload")
        /// The last reconcile of the drop folder failed.
        static let reconcile = Key(description: "reconcile")
        /// The query server stopped accepting connections.
        static let queryServer = Key(description: "query-server")
        /// Files that cannot be opened or read yet wait for another try.
        static let unreadable = Key(description: "unreadable")
        static let watchPrefix = "watch:"
        /// A folder inside the drop folder could not be watched.
        static func watch(_ folder: String) -> Key { Key(description: watchPrefix + folder) }
    }

    private struct Problem: Sendable {
        var message: String
        let since: Date
    }

    private let store: ArticleStore
    private let pipeline: IngestPipeline
    private let configuration: Mutex<DaemonConfiguration>
    private let started = ContinuousClock.now
    private let problems = Mutex<[Key: Problem]>([:])

    init(store: ArticleStore, pipeline: IngestPipeline, configuration: DaemonConfiguration) {
        self.store = store
        self.pipeline = pipeline
        self.configuration = Mutex(configuration)
    }

    /// Records a problem, or updates the message of one already there (keeping when it began).
    func raise(_ key: Key, _ message: String) {
        problems.withLock { problems in
            problems[key] = Problem(message: message, since: problems[key]?.since ?? Date())
        }
    }

    /// The cause of `key`'s problem is gone.
    func clear(_ key: Key) {
        problems.withLock { _ = $0.removeValue(forKey: key) }
    }

    /// Clears every folder's watch problem, before a walk that watches every folder again and
    /// raises those that still fail.
    func clearWatchProblems() {
        problems.withLock { problems in
            problems = problems.filter { !$0.key.description.hasPrefix(Key.watchPrefix) }
        }
    }

    /// Clears the watch problems of `folder` and the folders inside it, which left the drop folder.
    func clearWatchProblems(under folder: String) {
        let key = Key.watch(folder).description
        problems.withLock { problems in
            problems = problems.filter { $0.key.description != key && !$0.key.description.hasPrefix(key + "/") }
        }
    }

    /// The message of `key`'s problem, if there is one.
    func message(of key: Key) -> String? {
        problems.withLock { $0[key]?.message }
    }

    func update(configuration new: DaemonConfiguration) {
        configuration.withLock { $0 = new }
    }

    /// The current problems, oldest first.
    func currentProblems() -> [StatsReply.Problem] {
        var listed = problems.withLock { $0 }.map { (key: $0.key, problem: $0.value) }
        if let failure = pipeline.commitFailure {
            let message = "commits fail, ingest is stopped and retried with backoff: \(failure.reason)"
            listed.append((key: .commit, problem: Problem(message: message, since: failure.since)))
        }
        let retries = pipeline.readRetries()
        if retries.waiting > 0, let since = retries.since {
            let message =
                "files that cannot be read yet, tried again: \(retries.waiting); the latest: "
                + (retries.latestError ?? "unknown")
            listed.append((key: .unreadable, problem: Problem(message: message, since: since)))
        }
        return listed.sorted { ($0.problem.since, $0.key.description) < ($1.problem.since, $1.key.description) }
            .map { key, problem in
                StatsReply.Problem(key: key.description, message: problem.message, since: Self.timestamp(problem.since))
            }
    }

    func stats() async throws(VarlinkError) -> StatsReply {
        let counts: ArticleStore.Counts
        do {
            counts = try await store.counts()
        } catch {
            throw .storeUnavailable(String(describing: error))
        }
        let queued = await pipeline.depth()
        let configuration = self.configuration.withLock { $0 }
        let uptime = ContinuousClock.now - started
        let problems = currentProblems()
        return StatsReply(
            articles: counts.articles, files: counts.files, rejected: counts.rejected, queued: queued,
            storeBytes: store.sizeOnDisk,
            uptimeSeconds: Double(uptime.components.seconds) + Double(uptime.components.attoseconds) / 1e18,
            lastIngest: counts.lastIngest, dropFolder: configuration.dropFolder, store: store.path,
            status: line(counts: counts, queued: queued, folder: configuration.dropFolder, problems: problems),
            problems: problems, watches: store.watchCount)
    }

    /// "31030 articles, 0 queued, 2 rejected, 12 watches, watching /srv/drop", then any problems:
    /// "; PROBLEM commit since 2026-…Z: commits fail, …".
    func statusLine() async -> String {
        do {
            return try await stats().status
        } catch {
            let problems = currentProblems().map(Self.describe)
            return (["store unavailable: \(error)"] + problems).joined(separator: "; ")
        }
    }

    private func line(
        counts: ArticleStore.Counts, queued: Int, folder: String, problems: [StatsReply.Problem]
    ) -> String {
        let watches = store.watchCount
        let text =
            "\(counts.articles) articles, \(queued) queued, \(counts.rejected) rejected, "
            + "\(watches) \(watches == 1 ? "watch" : "watches"), watching \(folder)"
        return ([text] + Self.summarized(problems).map(Self.describe)).joined(separator: "; ")
    }

    /// The problems as the status line shows them: folders that cannot be watched come in the
    /// hundreds when the watch limit is reached, so past a few they are one line (`Stats` keeps
    /// each), or the line would outgrow what `systemctl status` can show.
    private static func summarized(_ problems: [StatsReply.Problem]) -> [StatsReply.Problem] {
        let watches = problems.filter { $0.key.hasPrefix(Key.watchPrefix) }
        guard watches.count > 3, let first = watches.first else { return problems }
        let summary = StatsReply.Problem(
            key: "watch",
            message: "\(watches.count) folders cannot be watched (akhbar stats lists them); the first: "
                + first.message,
            since: first.since)
        return problems.filter { !$0.key.hasPrefix(Key.watchPrefix) } + [summary]
    }

    private static func describe(_ problem: StatsReply.Problem) -> String {
        "PROBLEM \(problem.key) since \(problem.since): \(problem.message)"
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
