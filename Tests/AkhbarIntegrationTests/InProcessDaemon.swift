import AkhbarProtocol
import AkhbarTesting
import Foundation
import Testing

/// An `akhbard` run in the test's own process (AkhbarTesting's `TestDaemon`) on a sandbox's
/// folders, with the helpers of ``Daemon``, made async: what blocks (a socket, a client run) waits
/// on a thread of its own, never on the cooperative pool the daemon itself runs on.
final class InProcessDaemon: Sendable {
    let sandbox: Sandbox
    let daemon: TestDaemon

    init(_ sandbox: Sandbox, _ daemon: TestDaemon) {
        self.sandbox = sandbox
        self.daemon = daemon
    }

    /// Whether the daemon still runs: it stops only when asked to or on a fatal error.
    var isRunning: Bool { !daemon.hasStopped }

    func call<P: Codable & Sendable, R: Codable & Sendable>(
        _ method: ArticlesInterface.Method, _ parameters: P, returning: R.Type = R.self
    ) async throws -> R {
        let socket = sandbox.socket
        return try await onOwnThread {
            try VarlinkConnection(path: socket).call(method.rawValue, parameters, returning: R.self)
        }
    }

    func stats() async throws -> StatsReply {
        try await call(.stats, NoParameters())
    }

    func search(_ query: String, limit: Int = 20) async throws -> [Hit] {
        try await call(.search, SearchParameters(query: query, limit: limit), returning: SearchReply.self).hits
    }

    func article(_ id: Int64) async throws -> ArticleRecord {
        try await call(.get, GetParameters(id: id), returning: GetReply.self).article
    }

    /// The hits whose file is `name` (compared by last path component).
    func hits(for query: String, file name: String) async throws -> [Hit] {
        try await search(query).filter { $0.path.map { URL(fileURLWithPath: $0).lastPathComponent } == name }
    }

    /// Runs `akhbar ARGUMENTS --socket SOCKET --json` against this daemon.
    func akhbarJSON(_ arguments: [String]) async throws -> ClientRun {
        try await akhbarRun(arguments + ["--socket", sandbox.socket, "--json"])
    }

    /// Polls `condition` until it holds. On timeout, records an issue naming `what` and the last
    /// error, and returns false.
    @discardableResult
    func eventually(
        _ what: String, timeout: Duration = .seconds(20), every interval: Duration = .milliseconds(20),
        sourceLocation: SourceLocation = #_sourceLocation, _ condition: () async throws -> Bool
    ) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        var lastError: (any Error)?
        repeat {
            do {
                if try await condition() { return true }
            } catch {
                lastError = error
            }
            try? await Task.sleep(for: interval)
        } while ContinuousClock.now < deadline
        Issue.record(
            "timed out after \(timeout) waiting for: \(what)\(lastError.map { "\nlast error: \($0)" } ?? "")",
            sourceLocation: sourceLocation)
        return false
    }
}

/// Runs `body` with a fresh sandbox and a daemon in this process that has said READY, then stops
/// the daemon (failing if it stopped with an error) and removes the sandbox, whatever `body` did.
func withInProcessDaemon(seeds: Bool = false, _ body: (InProcessDaemon) async throws -> Void) async throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    if seeds { try sandbox.dropSeeds() }
    let daemon = TestDaemon(dropFolder: sandbox.drop.path, store: sandbox.store.path, socket: sandbox.socket)
    do {
        try await daemon.ready()
        try await body(InProcessDaemon(sandbox, daemon))
    } catch {
        try? await daemon.stop()
        throw error
    }
    try await daemon.stop()
}

/// Runs `akhbar ARGUMENTS` to completion, waiting on a thread of its own.
func akhbarRun(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(30))
    async throws -> ClientRun
{
    try await onOwnThread { try akhbar(arguments, environment: environment, timeout: timeout) }
}

/// Runs blocking work on a thread of its own: on the cooperative pool it would take a thread from
/// the daemon that runs in the same process.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

/// A value handed between a test's task and the thread one of its blocking calls runs on, used by
/// one of them at a time: a connection object is not `Sendable`, though the test uses it in turns.
final class Handed<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}
