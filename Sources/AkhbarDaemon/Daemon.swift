import AkhbarProtocol
import AkhbarStore
import Articles
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Systemd
import UnixSignals

/// The daemon: locks and opens the store, binds the socket, watches the drop folder, reconciles,
/// says READY, then ingests and answers until SIGTERM/SIGINT, which it acts on at any moment,
/// the start-up ingest included. SIGHUP reloads the configuration. As a `Service` in a
/// `ServiceGroup`, a graceful shutdown of the group stops it the same way, which is how a test
/// runs it in-process.
///
/// It never says READY while nothing can be ingested: a store held by another daemon or that
/// cannot be written, or a drop folder that cannot be watched, fail the start. Should the query
/// server stop accepting, or the drop folder stay away for longer than its grace, the daemon
/// stops as for SIGTERM and then throws, so that the service manager sees a failure.
public struct Daemon: Service, Sendable {
    /// Reads the configuration again for a reload; throws to keep the current one.
    public typealias ConfigurationLoader = @Sendable () throws -> DaemonConfiguration

    let requested: DaemonConfiguration
    let notifier: any ServiceNotifying
    let logger: Logger
    let reloadConfiguration: ConfigurationLoader
    /// Applies a new log level to every logger of the process.
    let applyLogLevel: @Sendable (Logger.Level) -> Void
    let listenDescriptor: Int32?

    public init(
        configuration: DaemonConfiguration, notifier: any ServiceNotifying, logger: Logger,
        listenDescriptor: Int32?, reloadConfiguration: @escaping ConfigurationLoader,
        applyLogLevel: @escaping @Sendable (Logger.Level) -> Void
    ) {
        self.requested = configuration
        self.notifier = notifier
        self.logger = logger
        self.listenDescriptor = listenDescriptor
        self.reloadConfiguration = reloadConfiguration
        self.applyLogLevel = applyLogLevel
    }

    /// What the daemon's main loop acts on, from the moment it starts.
    private enum Event: Sendable {
        case signal(UnixSignal)
        /// The service group this daemon runs in is shutting down gracefully.
        case shutdownRequested
        /// The start-up reconcile and ingest are done: time for READY.
        case started
        /// Nothing could be ingested: the start fails.
        case startFailed(reason: String)
        /// The query server stopped accepting connections without being closed.
        case serverStopped(reason: String)
        /// The folder of this watcher was removed or moved away.
        case dropFolderGone(DropWatcher)
        /// The folder of this (stopped) watcher is there again.
        case dropFolderBack(DropWatcher)
        /// The folder of this watcher stayed away for longer than the grace.
        case dropFolderLost(DropWatcher)
    }

    public func run() async throws {
        // Trap the signals before anything else, so an early SIGTERM still ends the daemon cleanly.
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint, .sighup)
        let (events, announce) = AsyncStream.makeStream(of: Event.self)
        var configuration = requested
        configuration.store = URL(fileURLWithPath: configuration.store).standardizedFileURL.path
        let storePath = configuration.store
        // Before the store is opened (or migrated) and the socket bound: a second daemon leaves both
        // to the first.
        let lock = try reportingStartFailure { () throws -> StoreLock in
            try FileManager.default.createDirectory(
                atPath: (storePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            return try StoreLock(beside: storePath)
        }
        let store: ArticleStore
        do {
            configuration.dropFolder = try Self.prepare(dropFolder: configuration.dropFolder)
            store = try await extendingStart("opening the store") { try ArticleStore(path: storePath) }
            do {
                try await store.checkWritable()
            } catch {
                throw DaemonError("cannot write to the store \(configuration.store): \(error)")
            }
        } catch {
            notifier.status("cannot start: \(error)")
            throw error
        }
        let root = configuration.dropFolder
        let feed = ArticleFeed()
        let pipeline = IngestPipeline(
            store: store, feed: feed, parser: DropFileParser(maxFileSize: configuration.maxFileSize), root: root,
            workers: max(ProcessInfo.processInfo.activeProcessorCount, 2), logger: logger)
        let status = DaemonStatus(store: store, pipeline: pipeline, configuration: configuration)
        let first = try session(watching: root, store: store, queue: pipeline.queue)
        let drop = DropFolderWatch(first)
        let service = ArticlesService(store: store, feed: feed, status: status, drop: drop, logger: logger)
        let server = try await QueryServer.bind(
            path: configuration.socket, adopting: listenDescriptor,
            handler: VarlinkConnectionHandler(service: service, logger: logger))
        logger.info(
            "listening",
            metadata: ["socket": "\(listenDescriptor.map { "fd \($0) from systemd" } ?? configuration.socket)"])
        first.watcher.start()

        let failure: DaemonError? = await withGracefulShutdownHandler {
            await serve(
                configuration: configuration, store: store, pipeline: pipeline, status: status, server: server,
                first: first, drop: drop, feed: feed, signals: signals, events: events, announce: announce)
        } onGracefulShutdown: {
            announce.yield(.shutdownRequested)
        }
        logger.info("stopped")
        // Held to the end: the next daemon may open the store once this one is done with it.
        lock.release()
        if let failure { throw failure }
    }

    /// Runs every part until a stop, then stops them in order; returns why it stopped if that is a
    /// failure.
    private func serve(
        configuration: DaemonConfiguration, store: ArticleStore, pipeline: IngestPipeline, status: DaemonStatus,
        server: QueryServer, first: DropFolderWatch.Session, drop: DropFolderWatch, feed: ArticleFeed,
        signals: UnixSignalsSequence, events: AsyncStream<Event>, announce: AsyncStream<Event>.Continuation
    ) async -> DaemonError? {
        await withTaskGroup(of: Void.self) { group in
            async let ingest: Void = pipeline.run()
            group.addTask { await server.run { announce.yield(.serverStopped(reason: $0)) } }
            group.addTask {
                for await signal in signals { announce.yield(.signal(signal)) }
            }
            group.addTask { await Self.forward(first, to: pipeline.queue, status: status, announce: announce) }
            // The start-up reconcile and ingest run beside the loop below, so that a signal is acted
            // on at once however long they take.
            group.addTask { announce.yield(await startUp(first, pipeline: pipeline, status: status)) }

            var current = configuration
            var ready = false
            var fatal: DaemonError?
            waiting: for await event in events {
                switch event {
                case .started:
                    ready = true
                    let line = await status.statusLine()
                    notifier.ready(status: line)
                    let socketFlag = listenDescriptor == nil ? " --socket \(configuration.socket)" : ""
                    logger.info("ready; query with: akhbar\(socketFlag) search WORDS", metadata: ["status": "\(line)"])
                    group.addTask {
                        await Heartbeat(notifier: notifier, status: status, pipeline: pipeline, logger: logger).run()
                    }
                case .startFailed(let reason):
                    logger.error("cannot start: \(reason)", metadata: ["reason": "\(reason)"])
                    notifier.status("cannot start: \(reason)")
                    fatal = DaemonError(reason)
                    break waiting
                case .signal(.sighup):
                    if ready { notifier.reloading() }
                    // A reload is applied whole or not at all: the new folder is watched before any
                    // other setting changes, so a folder that cannot be watched leaves every setting
                    // as it was.
                    if let next = reload(from: current, status: status) {
                        do {
                            if next.dropFolder != current.dropFolder {
                                try watch(
                                    next.dropFolder, replacing: drop, reason: "the drop folder changed", in: &group,
                                    store: store, pipeline: pipeline, status: status, announce: announce)
                                status.clear(.dropFolder)
                            }
                            apply(next, pipeline: pipeline)
                            // Only the refusal of an earlier reload is over; any other problem stays
                            // until its own cause goes.
                            status.clear(.reload)
                            current = next
                        } catch {
                            logger.error(
                                "cannot watch the new drop folder \(next.dropFolder), keeping the current configuration: \(error)"
                            )
                            status.raise(
                                .reload,
                                "cannot watch \(next.dropFolder), keeping the current configuration: \(error)")
                        }
                    }
                    status.update(configuration: current)
                    let line = await status.statusLine()
                    if ready { notifier.ready(status: line) } else { notifier.status(line) }
                case .signal(let signal):
                    logger.info("stopping", metadata: ["signal": "\(signal)", "ready": "\(ready)"])
                    break waiting
                case .shutdownRequested:
                    logger.info("stopping", metadata: ["reason": "graceful shutdown", "ready": "\(ready)"])
                    break waiting
                case .serverStopped(let reason):
                    // Ingesting on with no client able to reach the daemon would go unnoticed; a
                    // failed exit makes systemd restart it, listening afresh.
                    logger.error(
                        "the query server stopped accepting connections; stopping", metadata: ["reason": "\(reason)"])
                    status.raise(.queryServer, "the query server stopped: \(reason)")
                    notifier.status(await status.statusLine())
                    fatal = DaemonError("the query server stopped accepting connections: \(reason)")
                    break waiting
                case .dropFolderGone(let watcher):
                    guard watcher === drop.session.watcher else { continue }
                    // Its watches are gone with it, or follow it to where it was moved; nothing it
                    // would report from now on is in the drop folder.
                    watcher.stop()
                    let grace = current.dropGrace
                    status.raise(
                        .dropFolder,
                        "the drop folder \(watcher.root) was removed or moved away; nothing is ingested until it "
                            + "is back (waiting \(grace.components.seconds) s)")
                    notifier.status(await status.statusLine())
                    group.addTask {
                        let back = await Self.waitForFolder(watcher.root, within: grace)
                        announce.yield(back ? .dropFolderBack(watcher) : .dropFolderLost(watcher))
                    }
                case .dropFolderBack(let watcher):
                    guard watcher === drop.session.watcher else { continue }
                    logger.notice("the drop folder is back; watching it again", metadata: ["path": "\(watcher.root)"])
                    do {
                        try watch(
                            watcher.root, replacing: drop, reason: "the drop folder came back", in: &group,
                            store: store, pipeline: pipeline, status: status, announce: announce)
                        status.clear(.dropFolder)
                    } catch {
                        fatal = DaemonError("cannot watch the drop folder \(watcher.root) again: \(error)")
                        break waiting
                    }
                    notifier.status(await status.statusLine())
                case .dropFolderLost(let watcher):
                    guard watcher === drop.session.watcher else { continue }
                    let reason =
                        "the drop folder \(watcher.root) was removed or moved away and is still gone after "
                        + "\(current.dropGrace.components.seconds) s"
                    logger.error("stopping: \(reason)")
                    notifier.status("stopping: \(reason)")
                    fatal = DaemonError(reason)
                    break waiting
                }
            }

            // Told only once nobody can connect any more, so that a client refused from here on
            // sees a daemon that said it is stopping.
            await server.close()
            notifier.stopping()
            drop.session.watcher.stop()
            await pipeline.finish()
            await ingest
            feed.finish()
            group.cancelAll()
            return fatal
        }
    }

    /// Runs a blocking step of the start on a thread of its own, telling systemd every 5 s that the
    /// start is progressing: upgrading a store may rebuild a table of every article, about a minute
    /// for 200,000 of them, and a start timeout would kill it and make the next start begin again.
    private func extendingStart<T: Sendable>(
        _ step: String, _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await withCheckedThrowingContinuation { continuation in
                    Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
                }
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: .seconds(5))
                    notifier.extendTimeout(seconds: 30)
                    notifier.status("starting: \(step)")
                }
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }

    /// Runs a step of the start, putting its error in the service manager's status line too.
    private func reportingStartFailure<T: ~Copyable>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            notifier.status("cannot start: \(error)")
            throw error
        }
    }

    /// The drop folder as an absolute path without a trailing slash, created if missing.
    static func prepare(dropFolder: String) throws -> String {
        let url = URL(fileURLWithPath: dropFolder).standardizedFileURL
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } else if !isFolder.boolValue {
            throw DaemonError("the drop folder \(url.path) is not a folder")
        }
        return url.path
    }

    /// The start-up reconcile and ingest, and whether anything can be ingested at all: a drop folder
    /// that cannot be watched or a store whose commits fail make the start fail instead of READY.
    private func startUp(
        _ session: DropFolderWatch.Session, pipeline: IngestPipeline, status: DaemonStatus
    ) async -> Event {
        do {
            try await session.reconciler.reconcile(reason: "start")
        } catch {
            return .startFailed(
                reason: "cannot reconcile the drop folder \(session.watcher.root) with the store: \(error)")
        }
        if session.watcher.watchedFolders == 0 {
            // The watcher reports why through its notices, which the forwarding task turns into a
            // problem: give it a moment to, for the message.
            let key = DaemonStatus.Key.watch(session.watcher.root)
            for _ in 0..<50 where status.message(of: key) == nil {
                try? await Task.sleep(for: .milliseconds(20))
            }
            return .startFailed(
                reason: status.message(of: key) ?? "cannot watch the drop folder \(session.watcher.root)")
        }
        if let failure = await waitUntilIdle(pipeline) {
            return .startFailed(reason: "cannot write to the store: \(failure)")
        }
        return .started
    }

    /// Waits for the first reconcile's files to be committed, telling systemd that the start is
    /// taking long but progressing. Returns the error when commits fail instead.
    private func waitUntilIdle(_ pipeline: IngestPipeline) async -> String? {
        await withTaskGroup(of: String?.self) { group in
            group.addTask {
                await pipeline.queue.idle()
                return nil
            }
            group.addTask {
                var lastReport = ContinuousClock.now
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(100))
                    if Task.isCancelled { return nil }
                    if let failure = pipeline.commitFailure { return failure.reason }
                    if ContinuousClock.now - lastReport >= .seconds(5) {
                        lastReport = .now
                        notifier.extendTimeout(seconds: 30)
                        notifier.status("starting: \(await pipeline.depth()) files left to ingest")
                    }
                }
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    private func session(watching root: String, store: ArticleStore, queue: IngestQueue) throws
        -> DropFolderWatch.Session
    {
        let watcher = try DropWatcher(root: root, logger: logger)
        return DropFolderWatch.Session(
            watcher: watcher,
            reconciler: Reconciler(root: root, store: store, watcher: watcher, queue: queue, logger: logger))
    }

    /// Starts watching `root` in place of the current session, and reconciles it beside the main loop.
    private func watch(
        _ root: String, replacing drop: DropFolderWatch, reason: String, in group: inout TaskGroup<Void>,
        store: ArticleStore, pipeline: IngestPipeline, status: DaemonStatus, announce: AsyncStream<Event>.Continuation
    ) throws {
        let next = try session(watching: root, store: store, queue: pipeline.queue)
        next.watcher.start()
        group.addTask { await Self.forward(next, to: pipeline.queue, status: status, announce: announce) }
        drop.replace(with: next).watcher.stop()
        pipeline.update(root: root)
        let logger = logger
        group.addTask { await Self.reconcile(next, reason: reason, status: status, logger: logger) }
    }

    /// Reconciles, keeping the reconcile and watch problems in step with the outcome.
    private static func reconcile(
        _ session: DropFolderWatch.Session, reason: String, status: DaemonStatus, logger: Logger
    ) async {
        // The walk watches every folder again; those that still fail are reported anew.
        status.clearWatchProblems()
        do {
            try await session.reconciler.reconcile(reason: reason)
            status.clear(.reconcile)
        } catch is CancellationError {
            // The daemon is stopping: the next start reconciles.
        } catch {
            logger.error("cannot reconcile the drop folder with the store: \(error)", metadata: ["reason": "\(error)"])
            status.raise(.reconcile, "cannot reconcile the drop folder with the store (\(reason)): \(error)")
        }
    }

    /// Whether `folder` is a folder again within `grace`, looked for four times a second.
    private static func waitForFolder(_ folder: String, within grace: Duration) async -> Bool {
        let deadline = ContinuousClock.now + grace
        while !Task.isCancelled {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue {
                return true
            }
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return false
    }

    /// Feeds one watcher's notices to the queue until that watcher stops.
    private static func forward(
        _ session: DropFolderWatch.Session, to queue: IngestQueue, status: DaemonStatus,
        announce: AsyncStream<Event>.Continuation
    ) async {
        for await notice in session.watcher.notices {
            switch notice {
            case .event(let event):
                if case .tree(let folder) = event { status.clearWatchProblems(under: folder) }
                await queue.add(event)
            case .overflow:
                await reconcile(
                    session, reason: "inotify queue overflow", status: status, logger: session.reconciler.logger)
            case .watchFailed(let path, let reason):
                status.raise(.watch(path), "cannot watch \(path): \(reason)")
            case .rootGone:
                announce.yield(.dropFolderGone(session.watcher))
            }
        }
    }

    /// The configuration a reload asks for: the file re-read, with what can change at run time
    /// taken from it and the rest kept from `current` until the next restart. Nil, with the
    /// problem recorded, when the file is bad or its drop folder cannot be made.
    private func reload(from current: DaemonConfiguration, status: DaemonStatus) -> DaemonConfiguration? {
        let next: DaemonConfiguration
        do {
            next = try reloadConfiguration()
            _ = try Self.prepare(dropFolder: next.dropFolder)
        } catch {
            logger.error("reload failed, keeping the current configuration: \(error)", metadata: ["reason": "\(error)"])
            status.raise(.reload, "reload failed, keeping the current configuration: \(error)")
            return nil
        }
        var wanted = current
        wanted.logLevel = next.logLevel
        wanted.maxFileSize = next.maxFileSize
        wanted.dropGrace = next.dropGrace
        wanted.dropFolder = URL(fileURLWithPath: next.dropFolder).standardizedFileURL.path
        var ignored: [String] = []
        if URL(fileURLWithPath: next.store).standardizedFileURL.path != current.store { ignored.append("store") }
        if next.socket != current.socket { ignored.append("socket") }
        if !ignored.isEmpty {
            logger.warning(
                "these settings take effect at the next restart",
                metadata: ["settings": "\(ignored.joined(separator: ", "))"])
        }
        return wanted
    }

    /// Applies the log level and size limit of a reloaded configuration whose drop folder is
    /// already watched.
    private func apply(_ next: DaemonConfiguration, pipeline: IngestPipeline) {
        applyLogLevel(next.logLevel)
        pipeline.update(parser: DropFileParser(maxFileSize: next.maxFileSize))
        logger.info(
            "reloaded",
            metadata: [
                "drop": "\(next.dropFolder)", "log-level": "\(next.logLevel)", "max-file-size": "\(next.maxFileSize)",
            ])
    }
}

/// A fatal problem, at start-up or while running, said plainly.
public struct DaemonError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
