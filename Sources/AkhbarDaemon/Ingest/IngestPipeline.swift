import AkhbarProtocol
import AkhbarStore
import Articles
import CMalloc
import Foundation
import Logging
import Synchronization

/// Moves drop events through reading, parsing and batched commits.
///
/// Workers (one per lane) read and parse files on the lane's own queue; one writer commits
/// whatever they produced in a single transaction, so under load batches grow and when idle each
/// file is committed as soon as it is parsed.
final class IngestPipeline: Sendable {
    let queue: IngestQueue
    private let buffer: BatchBuffer
    private let store: ArticleStore
    private let feed: ArticleFeed
    private let reader: Mutex<DropFileReader>
    /// Where each lane reads and parses: off Swift's cooperative pool, whose threads (one per core)
    /// must stay free to answer queries; a file of many articles takes a fraction of a second.
    private let laneQueues: [DispatchQueue]
    private let logger: Logger
    private let progress: IngestProgress
    private let commitStart = Mutex<ContinuousClock.Instant?>(nil)
    /// When the last batch committed, until ``settle()`` has run after it.
    private let unsettledSince = Mutex<ContinuousClock.Instant?>(nil)
    /// Articles added or changed since the index was last merged into one segment.
    private let unmerged = Mutex(0)
    private let retries = ReadRetries()

    /// Reads files beneath `root`, the drop folder; see ``update(root:)`` for a move.
    init(store: ArticleStore, feed: ArticleFeed, parser: DropFileParser, root: String, workers: Int, logger: Logger) {
        self.store = store
        self.feed = feed
        self.reader = Mutex(DropFileReader(parser: parser, root: root))
        self.logger = logger
        self.progress = IngestProgress(logger: logger)
        self.queue = IngestQueue(lanes: workers)
        self.laneQueues = (0..<max(workers, 1)).map { DispatchQueue(label: "akhbard.ingest.lane\($0)") }
        self.buffer = BatchBuffer(capacity: 512)
    }

    /// When the commit in progress began, or nil between commits; the watchdog's view of the writer.
    var writingSince: ContinuousClock.Instant? { commitStart.withLock { $0 } }

    /// Since when commits have been failing and the last error, or nil since the last one succeeded.
    var commitFailure: (since: Date, reason: String)? { failure.withLock { $0 } }
    private let failure = Mutex<(since: Date, reason: String)?>(nil)
    private let stopping = Mutex(false)

    /// Applies new limits (a reload) to files read from now on.
    func update(parser: DropFileParser) {
        reader.withLock { $0.parser = parser }
    }

    /// Reads files beneath another drop folder from now on; a path outside it counts as gone.
    func update(root: String) {
        reader.withLock { $0.root = root }
    }

    /// Files that could not be opened or read and wait to be tried again, with the latest
    /// failure: they are not in ``depth()``, since they may wait for a person to fix them.
    func readRetries() -> ReadRetries.Summary {
        retries.summary
    }

    /// Number of events waiting or in progress.
    func depth() async -> Int { await queue.depth }

    /// Runs the workers and the writer until ``finish()``; the open batch is committed before returning.
    func run() async {
        let lanes = await queue.laneCount
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.writeLoop() }
            group.addTask { await self.settleLoop() }
            await withTaskGroup(of: Void.self) { workers in
                for lane in 0..<lanes {
                    workers.addTask { await self.workLoop(lane: lane) }
                }
            }
            // All workers are done: let the writer commit what is left and stop, then stop settling.
            await buffer.finish()
            await group.next()
            group.cancelAll()
        }
        progress.quiet()
    }

    func finish() async {
        stopping.withLock { $0 = true }
        await queue.finish()
    }

    private func workLoop(lane: Int) async {
        while let event = await queue.next(lane: lane) {
            switch event {
            case .file(let path):
                await read(path, lane: lane)
            case .attributes(let path):
                if retries.isWaiting(path) {
                    logger.debug("permissions changed; trying again at once", metadata: ["path": "\(path)"])
                    await read(path, lane: lane)
                } else {
                    await queue.complete(1)
                }
            case .tree(let path):
                await buffer.put(.gone(path: path, tree: true))
            }
        }
    }

    private func read(_ path: String, lane: Int) async {
        let reader = self.reader.withLock { $0 }
        let watches = store.watchPreparation()
        let outcome = await withCheckedContinuation { continuation in
            laneQueues[lane % laneQueues.count].async {
                continuation.resume(returning: reader.read(path, watches: watches))
            }
        }
        switch outcome {
        case .item(let item):
            retries.settled(path)
            await buffer.put(item)
        case .failed(let reason):
            let isNew = retries.isNew(path, reason: reason)
            let (delay, attempt) = retries.failed(path, reason: reason)
            let metadata: Logger.Metadata = ["path": "\(path)", "reason": "\(reason)", "retry_in": "\(delay)"]
            if isNew {
                logger.warning("cannot read a file; trying again later", metadata: metadata)
            } else {
                logger.debug("still cannot read a file", metadata: metadata)
            }
            await queue.complete(1)
            Task { [queue, retries] in
                try? await Task.sleep(for: delay)
                if retries.isCurrent(path, attempt: attempt) { await queue.add(.file(path)) }
            }
        }
    }

    private func writeLoop() async {
        var retryDelay = Duration.seconds(1)
        while true {
            let batch = await buffer.take()
            if batch.isEmpty { return }
            var failed = false
            commitStart.withLock { $0 = .now }
            do {
                let result = try await store.apply(batch)
                commitStart.withLock { $0 = nil }
                failure.withLock { $0 = nil }
                progress.committed(log(batch, result), queued: await queue.depth)
                if !result.changed.isEmpty {
                    unmerged.withLock { $0 += result.changed.count }
                    if feed.hasSubscribers { feed.publish(try await store.summaries(ids: result.changed)) }
                }
                if let cursor = result.lastMatch { feed.matches.publish(cursor) }
                retryDelay = .seconds(1)
            } catch {
                commitStart.withLock { $0 = nil }
                failure.withLock { $0 = (since: $0?.since ?? Date(), reason: "\(error)") }
                failed = true
                logger.error(
                    "cannot commit a batch of \(batch.count) files, retrying in \(retryDelay): \(error)",
                    metadata: ["reason": "\(error)"])
            }
            if failed {
                // The transaction rolled back, so nothing of the batch is half-stored; its files are
                // looked at again after a pause (a full disk, say, may have been cleared by then).
                // A stop does not wait the pause out: what failed is read again at the next start.
                let resume = ContinuousClock.now + retryDelay
                while ContinuousClock.now < resume, !stopping.withLock({ $0 }) {
                    try? await Task.sleep(for: .milliseconds(50))
                }
                retryDelay = min(retryDelay * 2, .seconds(60))
                for item in batch { await queue.add(Self.event(retrying: item)) }
            }
            await queue.complete(batch.count)
            if !failed { unsettledSince.withLock { $0 = .now } }
        }
    }

    /// Settles the store once ingest has been quiet for a second after a commit; a steady trickle of
    /// files never pays for it.
    private func settleLoop() async {
        let quiet = Duration.seconds(1)
        while !Task.isCancelled {
            try? await Task.sleep(for: quiet / 4)
            guard let since = unsettledSince.withLock({ $0 }), ContinuousClock.now - since >= quiet,
                await queue.isIdle
            else { continue }
            unsettledSince.withLock { if $0 == since { $0 = nil } }
            await settle()
        }
    }

    private static func event(retrying item: IngestItem) -> DropEvent {
        switch item {
        case .parsed(let path, _, _), .rejected(let path, _, _), .gone(let path, false): .file(path)
        case .gone(let path, true): .tree(path)
        }
    }

    /// Once ingest goes quiet: merge the full-text index when a tenth of the archive or more arrived
    /// since it was last merged (searches then read one segment instead of many), write the watches'
    /// tallies (see `WatchTallies`), fold the write-ahead
    /// log back into the store, so a burst's size does not stay on disk, and give SQLite's page caches
    /// and the parsing buffers freed in malloc's arenas back to the system. Merging stops as soon as
    /// new files arrive and resumes the next time ingest goes quiet.
    private func settle() async {
        progress.quiet()
        do {
            // A full merge rewrites the whole index: worth it after a bulk ingest, not after a
            // trickle of files, whose small segments FTS5's own merging keeps in check.
            if try await Int64(unmerged.withLock { $0 }) * 10 >= store.archiveSize() {
                while await queue.isIdle {
                    if try await !store.mergeIndexStep(pages: 500) {
                        unmerged.withLock { $0 = 0 }
                        break
                    }
                }
            }
        } catch {
            logger.debug("index merge deferred", metadata: ["reason": "\(error)"])
        }
        do {
            try await store.writeWatchTallies()
        } catch {
            logger.debug("watch tallies not written", metadata: ["reason": "\(error)"])
        }
        do {
            if try await !store.checkpoint() {
                logger.debug("checkpoint deferred: searches were reading the write-ahead log")
            }
        } catch  where Task.isCancelled {
            // Stopping interrupts it; the next start (or the last connection's close) folds the log back.
            logger.debug("checkpoint cut short by the stop", metadata: ["reason": "\(error)"])
        } catch {
            logger.warning("cannot checkpoint the write-ahead log into the store", metadata: ["reason": "\(error)"])
        }
        await store.releaseMemory()
        malloc_trim(0)
    }

    /// Logs a committed batch file by file at debug level (rejections as warnings), and returns what
    /// it adds to the progress the info level shows.
    private func log(_ batch: [IngestItem], _ result: IngestResult) -> IngestProgress.Tally {
        var tally = IngestProgress.Tally(articles: result.changed.count)
        for item in batch {
            switch item {
            case .parsed(let path, _, let file):
                for entry in file.items {
                    if case .rejected(let reason) = entry.content {
                        logger.warning(
                            "rejected an article",
                            metadata: ["path": "\(path)", "position": "\(entry.position)", "reason": "\(reason)"])
                    }
                }
                let ids = result.articles[path] ?? []
                tally.add(IngestProgress.Tally(files: 1, onlyPath: path, onlyArticleIDs: ids))
                logger.debug(
                    "ingested a file",
                    metadata: ["path": "\(path)", "article_id": "\(ids.map(String.init).joined(separator: ","))"])
            case .rejected(let path, _, let reason):
                tally.add(IngestProgress.Tally(files: 1, rejected: 1, onlyPath: path))
                logger.warning("rejected a file", metadata: ["path": "\(path)", "reason": "\(reason)"])
            case .gone(let path, _):
                logger.debug("left the drop folder", metadata: ["path": "\(path)"])
            }
        }
        if batch.count > 1 {
            logger.debug(
                "committed a batch", metadata: ["files": "\(batch.count)", "changed": "\(result.changed.count)"])
        }
        return tally
    }
}
