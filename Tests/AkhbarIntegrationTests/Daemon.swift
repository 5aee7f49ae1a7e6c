import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// One `akhbard` on a sandbox, as a user would start it, plus a Varlink connection to query it.
final class Daemon {
    let sandbox: Sandbox
    let process: ChildProcess
    private var connection: VarlinkConnection?

    /// Starts `akhbard` on the sandbox's folders, or with `arguments` when given; `generation`
    /// tells apart the logs of a restarted daemon; `environment` is added to the child's.
    /// `launcher`, when given, is a command that runs the daemon (such as `setpriv` with another
    /// user's ids), its path first.
    init(
        _ sandbox: Sandbox, generation: Int = 1, arguments: [String]? = nil, launcher: [String] = [],
        environment: [String: String] = [:]
    ) throws {
        self.sandbox = sandbox
        let daemon = try Binaries.daemon()
        let daemonArguments =
            arguments ?? [
                "--drop", sandbox.drop.path, "--store", sandbox.store.path, "--socket", sandbox.socket, "--log-level",
                "debug",
            ]
        let executable = launcher.first.map { URL(fileURLWithPath: $0) } ?? daemon
        let launched = launcher.isEmpty ? daemonArguments : launcher.dropFirst() + [daemon.path] + daemonArguments
        process = try ChildProcess(
            executable, launched, name: "akhbard-\(generation)", in: sandbox.root, environment: environment)
    }

    /// Waits until the socket answers `Stats`.
    func waitUntilAnswering(timeout: Duration = .seconds(60)) throws {
        let deadline = ContinuousClock.now + timeout
        var lastError: (any Error)?
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw Failure(
                    "akhbard exited (status \(process.status)) before answering on \(sandbox.socket)\n\(process.tail())"
                )
            }
            do {
                _ = try stats()
                return
            } catch {
                lastError = error
                usleep(20_000)
            }
        }
        throw Failure(
            "akhbard did not answer Stats within \(timeout): \(lastError.map { "\($0)" } ?? "")\n\(process.tail())")
    }

    func call<P: Codable & Sendable, R: Codable & Sendable>(
        _ method: ArticlesInterface.Method, _ parameters: P, returning: R.Type = R.self
    ) throws -> R {
        let connection = try self.connection ?? VarlinkConnection(path: sandbox.socket)
        do {
            let reply = try connection.call(method.rawValue, parameters, returning: R.self)
            self.connection = connection
            return reply
        } catch let error as VarlinkError {
            self.connection = connection
            throw error
        } catch {
            // A broken connection is not reused; the next call dials again.
            self.connection = nil
            throw error
        }
    }

    func stats() throws -> StatsReply {
        try call(.stats, NoParameters())
    }

    func search(_ query: String, limit: Int = 20) throws -> [Hit] {
        try call(.search, SearchParameters(query: query, limit: limit), returning: SearchReply.self).hits
    }

    func article(_ id: Int64) throws -> ArticleRecord {
        try call(.get, GetParameters(id: id), returning: GetReply.self).article
    }

    /// The hits whose file is `name` (compared by last path component).
    func hits(for query: String, file name: String) throws -> [Hit] {
        try search(query).filter { $0.path.map { URL(fileURLWithPath: $0).lastPathComponent } == name }
    }

    /// Sends SIGTERM and expects a clean exit with status 0 within `timeout`, as systemd would.
    func stop(timeout: Duration = .seconds(20), sourceLocation: SourceLocation = #_sourceLocation) {
        connection = nil
        process.send(SIGTERM)
        guard process.wait(timeout: timeout) else {
            Issue.record(
                "akhbard still running \(timeout) after SIGTERM; killing it\n\(process.tail())",
                sourceLocation: sourceLocation)
            process.send(SIGKILL)
            process.wait(timeout: .seconds(5))
            return
        }
        #expect(
            !process.terminatedBySignal && process.status == 0,
            "akhbard should exit 0 on SIGTERM, got \(process.terminatedBySignal ? "signal" : "status") \(process.status)\n\(process.tail())",
            sourceLocation: sourceLocation)
    }

    /// Polls `condition` until it holds. On timeout, records an issue naming `what`, the last error
    /// and the daemon's log, and returns false.
    @discardableResult
    func eventually(
        _ what: String, timeout: Duration = .seconds(20), every interval: Duration = .milliseconds(20),
        sourceLocation: SourceLocation = #_sourceLocation, _ condition: () throws -> Bool
    ) -> Bool {
        let deadline = ContinuousClock.now + timeout
        var lastError: (any Error)?
        repeat {
            do {
                if try condition() { return true }
            } catch {
                lastError = error
            }
            usleep(UInt32(interval / .microseconds(1)))
        } while ContinuousClock.now < deadline
        Issue.record(
            "timed out after \(timeout) waiting for: \(what)\(lastError.map { "\nlast error: \($0)" } ?? "")\n--- akhbard log ---\n\(process.tail())",
            sourceLocation: sourceLocation
        )
        return false
    }
}

/// Runs `body` with a fresh sandbox and a started daemon, then stops the daemon (checking it exits 0)
/// and removes the sandbox, whatever `body` did.
func withDaemon(
    seeds: Bool = false, sourceLocation: SourceLocation = #_sourceLocation, _ body: (Daemon) throws -> Void
) throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    if seeds { try sandbox.dropSeeds() }
    let daemon = try Daemon(sandbox)
    defer { daemon.stop(sourceLocation: sourceLocation) }
    try daemon.waitUntilAnswering()
    try body(daemon)
}

/// A test harness failure with a readable message.
struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
