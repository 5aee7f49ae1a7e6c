import AkhbarProtocol
import AkhbarStore
import Articles
import Foundation
import Logging
import NIOCore
import NIOPosix
import Systemd
import UnixSignals

/// The daemon: opens the store, binds the socket, watches the drop folder, reconciles, says
/// READY, then ingests and answers until SIGTERM/SIGINT. SIGHUP reloads the configuration.
/// Should the query server stop accepting on its own, the daemon stops as for SIGTERM and then
/// throws, so that the service manager sees a failure and restarts it.
public struct Daemon: Sendable {
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

    /// What the daemon waits for once it is ready.
    private enum Event: Sendable {
        case signal(UnixSignal)
        /// The query server stopped accepting connections without being closed.
        case serverStopped(reason: String)
    }

    public func run() async throws {
        // Trap the signals before anything else, so an early SIGTERM still ends the daemon cleanly.
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint, .sighup)
        let (events, announce) = AsyncStream.makeStream(of: Event.self)
        var configuration = requested
        let root = try Self.prepare(dropFolder: configuration.dropFolder)
        configuration.dropFolder = root
        configuration.store = URL(fileURLWithPath: configuration.store).standardizedFileURL.path
        try FileManager.default.createDirectory(
            atPath: (configuration.store as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let store = try ArticleStore(path: configuration.store)
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
            "listening", metadata: ["socket": "\(listenDescriptor.map { "fd \($0) from systemd" } ?? configuration.socket)"])
        first.watcher.start()

        let failure: DaemonError? = await withTaskGroup(of: Void.self) { group in
            async let ingest: Void = pipeline.run()
            group.addTask { await server.run { announce.yield(.serverStopped(reason: $0)) } }
            group.addTask {
                for await signal in signals { announce.yield(.signal(signal)) }
            }
            group.addTask { await Self.forward(first, to: pipeline.queue, status: status) }

            do {
                try await first.reconciler.reconcile(reason: "start")
            } catch {
                // Serving what the store holds and ingesting what the watcher reports beats not
                // starting at all; a rescan (or the next restart) tries the full walk again.
                logger.error("cannot reconcile the drop folder with the store: \(error)", metadata: ["reason": "\(error)"])
                status.report(problem: "start reconcile failed: \(error)")
            }
            await waitUntilIdle(pipeline)
            let line = await status.statusLine()
            notifier.ready(status: line)
            let socketFlag = listenDescriptor == nil ? " --socket \(configuration.socket)" : ""
            logger.info("ready; query with: akhbar\(socketFlag) search WORDS", metadata: ["status": "\(line)"])

            group.addTask {
                await Heartbeat(notifier: notifier, status: status, pipeline: pipeline, logger: logger).run()
            }

            var current = configuration
            var fatal: DaemonError?
            waiting: for await event in events {
                switch event {
                case .signal(.sighup):
                    notifier.reloading()
                    let next = await reload(from: current, pipeline: pipeline, status: status)
                    if next.dropFolder != current.dropFolder {
                        do {
                            let moved = try session(watching: next.dropFolder, store: store, queue: pipeline.queue)
                            moved.watcher.start()
                            group.addTask { await Self.forward(moved, to: pipeline.queue, status: status) }
                            drop.replace(with: moved).watcher.stop()
                            pipeline.update(root: next.dropFolder)
                            current = next
                            try await moved.reconciler.reconcile(reason: "the drop folder changed")
                        } catch {
                            logger.error("cannot watch the new drop folder \(next.dropFolder), keeping \(current.dropFolder): \(error)")
                            status.report(problem: "cannot watch \(next.dropFolder): \(error)")
                            current.logLevel = next.logLevel
                            current.maxFileSize = next.maxFileSize
                        }
                    } else {
                        current = next
                    }
                    status.update(configuration: current)
                    notifier.ready(status: await status.statusLine())
                case .signal(let signal):
                    logger.info("stopping", metadata: ["signal": "\(signal)"])
                    break waiting
                case .serverStopped(let reason):
                    // Ingesting on with no client able to reach the daemon would go unnoticed; a
                    // failed exit makes systemd restart it, listening afresh.
                    logger.error("the query server stopped accepting connections; stopping", metadata: ["reason": "\(reason)"])
                    status.report(problem: "the query server stopped: \(reason)")
                    notifier.status(await status.statusLine())
                    fatal = DaemonError("the query server stopped accepting connections: \(reason)")
                    break waiting
                }
            }

            notifier.stopping()
            server.close()
            drop.session.watcher.stop()
            await pipeline.finish()
            await ingest
            feed.finish()
            group.cancelAll()
            return fatal
        }
        logger.info("stopped")
        if let failure { throw failure }
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

    /// Waits for the first reconcile's files to be committed, telling systemd that the start is
    /// taking long but progressing.
    private func waitUntilIdle(_ pipeline: IngestPipeline) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await pipeline.queue.idle() }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(5))
                    if Task.isCancelled { return }
                    notifier.extendTimeout(seconds: 30)
                    notifier.status("starting: \(await pipeline.depth()) files left to ingest")
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func session(watching root: String, store: ArticleStore, queue: IngestQueue) throws -> DropFolderWatch.Session {
        let watcher = try DropWatcher(root: root, logger: logger)
        return DropFolderWatch.Session(
            watcher: watcher, reconciler: Reconciler(root: root, store: store, watcher: watcher, queue: queue, logger: logger))
    }

    /// Feeds one watcher's notices to the queue until that watcher stops.
    private static func forward(_ session: DropFolderWatch.Session, to queue: IngestQueue, status: DaemonStatus) async {
        for await notice in session.watcher.notices {
            switch notice {
            case .event(let event):
                await queue.add(event)
            case .overflow:
                _ = try? await session.reconciler.reconcile(reason: "inotify queue overflow")
            case .watchFailed(let path, let reason):
                status.report(problem: "cannot watch \(path): \(reason)")
            case .rootGone:
                status.report(problem: "the drop folder was removed or moved away")
            }
        }
    }

    /// The configuration to run with after a reload: the file re-read, with what can change at
    /// run time taken from it (log level and size limit applied here, the drop folder by the
    /// caller) and the rest kept until the next restart. A bad file keeps `current` whole.
    private func reload(from current: DaemonConfiguration, pipeline: IngestPipeline, status: DaemonStatus) async -> DaemonConfiguration {
        let next: DaemonConfiguration
        do {
            next = try reloadConfiguration()
            _ = try Self.prepare(dropFolder: next.dropFolder)
        } catch {
            logger.error("reload failed, keeping the current configuration: \(error)", metadata: ["reason": "\(error)"])
            status.report(problem: "reload failed: \(error)")
            return current
        }
        status.report(problem: nil)
        var applied = current
        applied.logLevel = next.logLevel
        applied.maxFileSize = next.maxFileSize
        applied.dropFolder = URL(fileURLWithPath: next.dropFolder).standardizedFileURL.path
        applyLogLevel(next.logLevel)
        pipeline.update(parser: DropFileParser(maxFileSize: next.maxFileSize))
        var ignored: [String] = []
        if URL(fileURLWithPath: next.store).standardizedFileURL.path != current.store { ignored.append("store") }
        if next.socket != current.socket { ignored.append("socket") }
        if !ignored.isEmpty {
            logger.warning("these settings take effect at the next restart", metadata: ["settings": "\(ignored.joined(separator: ", "))"])
        }
        logger.info(
            "reloaded",
            metadata: ["drop": "\(applied.dropFolder)", "log-level": "\(next.logLevel)", "max-file-size": "\(next.maxFileSize)"])
        return applied
    }
}

/// A fatal problem, at start-up or while running, said plainly.
public struct DaemonError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
