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

/// The daemon: locks and opens the store, binds the socket and starts watching the drop folder,
/// then runs its parts as services of one `ServiceGroup`, in this order:
///
/// 1. ``IngestService``: the parsing workers and the one writer;
/// 2. ``QueryService``: the socket;
/// 3. ``DropFolderService``: the watcher's events, overflows, a folder gone and back;
/// 4. ``Heartbeat``: the status line and the watchdog, once ready;
/// 5. ``ReloadService``: SIGHUP (only with `handlesSignals`);
/// 6. ``StartUpService``: the start-up reconcile and ingest, then READY.
///
/// SIGTERM and SIGINT, trapped from the first instruction, shut the group down gracefully, in
/// reverse order: the start-up stops wherever it is, the folder is no longer watched, the socket
/// stops accepting (STOPPING=1), and what is ready is committed before the store is closed. As a
/// `Service` itself, the daemon follows a graceful shutdown of the group it runs in the same way,
/// which is how a test runs it in-process.
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
    /// Whether the daemon answers SIGTERM, SIGINT and SIGHUP itself: the process's own daemon
    /// does; one of several run in a test process leaves signals alone.
    let handlesSignals: Bool

    public init(
        configuration: DaemonConfiguration, notifier: any ServiceNotifying, logger: Logger,
        listenDescriptor: Int32?, reloadConfiguration: @escaping ConfigurationLoader,
        applyLogLevel: @escaping @Sendable (Logger.Level) -> Void, handlesSignals: Bool = true
    ) {
        self.requested = configuration
        self.notifier = notifier
        self.logger = logger
        self.listenDescriptor = listenDescriptor
        self.reloadConfiguration = reloadConfiguration
        self.applyLogLevel = applyLogLevel
        self.handlesSignals = handlesSignals
    }

    public func run() async throws {
        // Trapped before anything else, so that a stop asked for while the store opens (an upgrade
        // can take a minute) is kept for the service group rather than ending the process midway.
        let early = GroupHandoff()
        let stopSignals = handlesSignals ? await UnixSignalsSequence(trapping: .sigterm, .sigint, .sighup) : nil
        let relay = Task {
            guard let stopSignals else { return }
            for await signal in stopSignals where signal != .sighup {
                await early.stop(signal: signal)
            }
        }
        defer { relay.cancel() }

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
        let parts = try await makeParts(configuration, store: store)
        let server = try await QueryServer.bind(
            path: configuration.socket, adopting: listenDescriptor,
            handler: VarlinkConnectionHandler(
                service: ArticlesService(
                    store: store, feed: parts.feed, status: parts.status, drop: parts.drop, logger: logger),
                logger: logger))
        logger.info(
            "listening",
            metadata: ["socket": "\(listenDescriptor.map { "fd \($0) from systemd" } ?? configuration.socket)"])
        parts.drop.session.watcher.start()

        let group = ServiceGroup(
            configuration: groupConfiguration(parts: parts, server: server, socket: configuration.socket))
        await early.hand(to: group)
        var failure: (any Error)?
        do {
            try await group.run()
        } catch {
            failure = error
        }
        logger.info("stopped")
        // Held to the end: the next daemon may open the store once this one is done with it.
        lock.release()
        if let failure { throw failure }
    }

    /// The parts the services share, the first drop-folder session made (not started yet).
    private func makeParts(_ configuration: DaemonConfiguration, store: ArticleStore) async throws -> DaemonParts {
        let feed = ArticleFeed()
        let pipeline = IngestPipeline(
            store: store, feed: feed, parser: DropFileParser(maxFileSize: configuration.maxFileSize),
            root: configuration.dropFolder, workers: max(ProcessInfo.processInfo.activeProcessorCount, 2),
            logger: logger)
        let drop = DropFolderWatch(
            try DropFolderWatch.Session(
                watching: configuration.dropFolder, store: store, queue: pipeline.queue, logger: logger))
        return DaemonParts(
            store: store, pipeline: pipeline, feed: feed,
            status: DaemonStatus(store: store, pipeline: pipeline, configuration: configuration), drop: drop,
            settings: DaemonSettings(configuration), readiness: Readiness(), notifier: notifier, logger: logger)
    }

    /// The services in start order; the group shuts them down in reverse. Each one ends only when
    /// it is asked to, or throws, which stops the others gracefully and fails the daemon.
    private func groupConfiguration(parts: DaemonParts, server: QueryServer, socket: String)
        -> ServiceGroupConfiguration
    {
        let dropFolder = DropFolderService(parts: parts)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: IngestService(parts: parts)),
            .init(service: QueryService(server: server, parts: parts)),
            .init(service: dropFolder),
            .init(
                service: Heartbeat(
                    notifier: notifier, status: parts.status, pipeline: parts.pipeline, readiness: parts.readiness,
                    logger: logger)),
        ]
        if handlesSignals {
            services.append(
                .init(
                    service: ReloadService(
                        load: reloadConfiguration, applyLogLevel: applyLogLevel, drop: dropFolder, parts: parts)))
        }
        // Last, so that it is the first asked to stop: a start-up ingest cut short is no failure.
        services.append(
            .init(
                service: StartUpService(
                    parts: parts, socketFlag: listenDescriptor == nil ? " --socket \(socket)" : ""),
                successTerminationBehavior: .ignore))
        for index in services.indices {
            services[index].failureTerminationBehavior = .gracefullyShutdownGroup
        }
        return ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: handlesSignals ? [.sigterm, .sigint] : [], logger: logger)
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
}

/// A fatal problem, at start-up or while running, said plainly.
public struct DaemonError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Hands a stop asked for by a signal before the service group runs over to the group, which
/// remembers it until it starts.
private actor GroupHandoff {
    private var group: ServiceGroup?
    private var stopRequested = false

    func stop(signal: UnixSignal) async {
        if let group {
            await group.triggerGracefulShutdown()
        } else {
            stopRequested = true
        }
    }

    func hand(to group: ServiceGroup) async {
        self.group = group
        if stopRequested { await group.triggerGracefulShutdown() }
    }
}
