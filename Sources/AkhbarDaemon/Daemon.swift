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

    public func run() async throws {
        // Trap the signals before anything else, so an early SIGTERM still ends the daemon cleanly.
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint, .sighup)
        var configuration = requested
        let root = try Self.prepare(dropFolder: configuration.dropFolder)
        configuration.dropFolder = root
        configuration.store = URL(fileURLWithPath: configuration.store).standardizedFileURL.path
        try FileManager.default.createDirectory(
            atPath: (configuration.store as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let store = try ArticleStore(path: configuration.store)
        let feed = ArticleFeed()
        let pipeline = IngestPipeline(
            store: store, feed: feed, parser: DropFileParser(maxFileSize: configuration.maxFileSize),
            workers: max(ProcessInfo.processInfo.activeProcessorCount, 2), logger: logger)
        let status = DaemonStatus(store: store, pipeline: pipeline, configuration: configuration)
        let watcher = try DropWatcher(root: root, logger: logger)
        let reconciler = Reconciler(root: root, store: store, watcher: watcher, queue: pipeline.queue, logger: logger)
        let service = ArticlesService(store: store, feed: feed, status: status, reconciler: reconciler, logger: logger)
        let server = try await QueryServer.bind(
            path: configuration.socket, adopting: listenDescriptor,
            handler: VarlinkConnectionHandler(service: service, logger: logger))
        logger.info(
            "listening", metadata: ["socket": "\(listenDescriptor.map { "fd \($0) from systemd" } ?? configuration.socket)"])
        watcher.start()

        try await withThrowingTaskGroup(of: Void.self) { group in
            async let ingest: Void = pipeline.run()
            group.addTask { try await server.run() }
            group.addTask {
                await Self.forward(watcher.notices, to: pipeline.queue, reconciler: reconciler, status: status)
            }

            try await reconciler.reconcile(reason: "start")
            await waitUntilIdle(pipeline)
            let line = await status.statusLine()
            notifier.ready(status: line)
            logger.info("ready", metadata: ["status": "\(line)"])

            group.addTask {
                await Heartbeat(notifier: notifier, status: status, pipeline: pipeline, logger: logger).run()
            }

            var current = configuration
            for await signal in signals {
                if signal == .sighup {
                    current = await reload(from: current, pipeline: pipeline, status: status)
                    continue
                }
                logger.info("stopping", metadata: ["signal": "\(signal)"])
                break
            }

            notifier.stopping()
            server.close()
            watcher.stop()
            await pipeline.finish()
            await ingest
            feed.finish()
            group.cancelAll()
        }
        logger.info("stopped")
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

    private static func forward(
        _ notices: AsyncStream<DropWatcher.Notice>, to queue: IngestQueue, reconciler: Reconciler, status: DaemonStatus
    ) async {
        for await notice in notices {
            switch notice {
            case .event(let event):
                await queue.add(event)
            case .overflow:
                try? await reconciler.reconcile(reason: "inotify queue overflow")
            case .watchFailed(let path, let reason):
                status.report(problem: "cannot watch \(path): \(reason)")
            case .rootGone:
                status.report(problem: "the drop folder was removed or moved away")
            }
        }
    }

    private func reload(from current: DaemonConfiguration, pipeline: IngestPipeline, status: DaemonStatus) async -> DaemonConfiguration {
        notifier.reloading()
        defer { Task { notifier.ready(status: await status.statusLine()) } }
        let next: DaemonConfiguration
        do {
            next = try reloadConfiguration()
        } catch {
            logger.error("reload failed, keeping the current configuration: \(error)", metadata: ["reason": "\(error)"])
            status.report(problem: "reload failed: \(error)")
            return current
        }
        status.report(problem: nil)
        var applied = current
        applied.logLevel = next.logLevel
        applied.maxFileSize = next.maxFileSize
        applyLogLevel(next.logLevel)
        pipeline.update(parser: DropFileParser(maxFileSize: next.maxFileSize))
        var ignored: [String] = []
        if URL(fileURLWithPath: next.dropFolder).standardizedFileURL.path != current.dropFolder { ignored.append("drop") }
        if next.store != current.store { ignored.append("store") }
        if next.socket != current.socket { ignored.append("socket") }
        if !ignored.isEmpty {
            logger.warning("these settings take effect at the next restart", metadata: ["settings": "\(ignored.joined(separator: ", "))"])
        }
        status.update(configuration: applied)
        logger.info("reloaded", metadata: ["log-level": "\(next.logLevel)", "max-file-size": "\(next.maxFileSize)"])
        return applied
    }
}

/// A fatal start-up problem, said plainly.
public struct DaemonError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
