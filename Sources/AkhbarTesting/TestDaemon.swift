import AkhbarDaemon
import Foundation
import Logging
import ServiceLifecycle

/// An `akhbard` run in the test's own process, as `HummingbirdTesting` runs an application: real
/// temporary folders, a real store, real inotify and a real Unix socket, stopped by a graceful
/// shutdown of its service group, which takes the same path as SIGTERM.
///
/// Several may run at once in one process.
///
/// ```swift
/// try await TestDaemon.with { daemon in
///     try daemon.drop("a.txt", "…")
///     try await daemon.eventually { try await daemon.client.search("word").count == 1 }
/// }
/// ```
public final class TestDaemon: Sendable {
    /// The temporary folder holding the drop folder, the store and the socket.
    public let folder: String
    public let configuration: DaemonConfiguration
    /// A client on the daemon's socket.
    public let client: TestClient
    private let group: ServiceGroup
    private let running: Task<Void, any Error>
    private let notifier = ReadinessNotifier()

    /// Starts a daemon on fresh folders, with `files` (name → contents) already in its drop folder.
    public convenience init(files: [String: String] = [:], logLevel: Logger.Level = .warning) throws {
        let folder = NSTemporaryDirectory() + "akhbar-test-" + UUID().uuidString
        let drop = folder + "/drop"
        try FileManager.default.createDirectory(atPath: drop, withIntermediateDirectories: true)
        for (name, contents) in files {
            try contents.write(toFile: drop + "/" + name, atomically: true, encoding: .utf8)
        }
        self.init(
            folder: folder,
            configuration: DaemonConfiguration(
                dropFolder: drop, store: folder + "/store.sqlite", socket: folder + "/akhbar.sock", logLevel: logLevel))
    }

    /// Starts a daemon on the given folders, which the caller made and removes.
    public convenience init(dropFolder: String, store: String, socket: String, logLevel: Logger.Level = .warning) {
        self.init(
            folder: (dropFolder as NSString).deletingLastPathComponent,
            configuration: DaemonConfiguration(dropFolder: dropFolder, store: store, socket: socket, logLevel: logLevel)
        )
    }

    private init(folder: String, configuration: DaemonConfiguration) {
        self.folder = folder
        self.configuration = configuration
        var logger = Logger(label: "akhbard")
        logger.logLevel = configuration.logLevel
        let daemon = Daemon(
            configuration: configuration, notifier: notifier, logger: logger, listenDescriptor: nil,
            reloadConfiguration: { configuration }, applyLogLevel: { _ in }, handlesSignals: false)
        let group = ServiceGroup(configuration: .init(services: [.init(service: daemon)], logger: logger))
        self.group = group
        let notifier = notifier
        running = Task {
            defer { notifier.ended() }
            try await group.run()
        }
        client = TestClient(socket: configuration.socket)
    }

    /// Whether the daemon has stopped, on its own or when asked to.
    public var hasStopped: Bool { notifier.hasEnded }

    /// Runs `body` with a daemon that is ready (its start-up reconcile and ingest done), then
    /// stops it and removes its folders.
    public static func with<Result>(
        files: [String: String] = [:], _ body: (TestDaemon) async throws -> Result
    ) async throws -> Result {
        let daemon = try TestDaemon(files: files)
        do {
            try await daemon.ready()
            let result = try await body(daemon)
            try await daemon.stop()
            daemon.remove()
            return result
        } catch {
            try? await daemon.stop()
            daemon.remove()
            throw error
        }
    }

    /// Returns once the daemon has said READY, as systemd waits for it; throws if it stopped first.
    public func ready() async throws {
        guard await notifier.ready() else { throw TestDaemonError("the daemon stopped before it was ready") }
    }

    /// Writes a file into the drop folder at once (a rename of a complete file, as scrapers should);
    /// `name` may name subfolders, which are made.
    public func drop(_ name: String, _ contents: String) throws {
        let path = configuration.dropFolder + "/" + name
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Deletes a file from the drop folder.
    public func remove(_ name: String) throws {
        try FileManager.default.removeItem(atPath: configuration.dropFolder + "/" + name)
    }

    /// Waits until `condition` holds (errors count as not yet), checking `every` 20 ms (or as asked)
    /// for at most `timeout`; throws when it never does.
    public func eventually(
        _ what: String = "the condition", timeout: Duration = .seconds(20),
        every interval: Duration = .milliseconds(20),
        _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? await condition()) == true { return }
            try await Task.sleep(for: interval)
        }
        throw TestDaemonError("\(what) did not hold within \(timeout)")
    }

    /// Waits until a search for `query` finds something: the usual sign that a dropped file is in.
    public func eventuallyFinds(
        _ query: String, timeout: Duration = .seconds(20), every interval: Duration = .milliseconds(20)
    ) async throws {
        try await eventually("a search for \(query) finding it", timeout: timeout, every: interval) {
            try await !client.search(query).isEmpty
        }
    }

    /// Stops the daemon gracefully and waits for it; rethrows what made it fail, if anything.
    public func stop() async throws {
        await group.triggerGracefulShutdown()
        try await running.value
    }

    /// Removes the daemon's folders; call once it has stopped.
    public func remove() {
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// A test harness failure with a readable message.
public struct TestDaemonError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
