import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// One run of the `akhbar` client, finished.
struct ClientRun {
    /// The exit status; 128 + the signal's number when a signal ended it, as a shell reports it.
    var status: Int32
    var stdout: String
    var stderr: String
    /// Standard output as bytes, for output that need not be UTF-8.
    var stdoutBytes = Data()

    /// Standard output read as JSON Lines of `type`.
    func lines<T: Decodable>(_ type: T.Type) throws -> [T] {
        try stdout.split(separator: "\n").map { try JSONDecoder().decode(T.self, from: Data($0.utf8)) }
    }

    /// Standard output read as one JSON object of `type`.
    func object<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(stdout.utf8))
    }
}

/// Runs `akhbar ARGUMENTS` to completion, its output captured (so not a terminal: JSON by default).
func akhbar(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(30)) throws
    -> ClientRun
{
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "akhbar-client-\(UUID().uuidString.prefix(12))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let child = try ChildProcess(Binaries.client(), arguments, name: "akhbar", in: directory, environment: environment)
    guard child.wait(timeout: timeout) else {
        throw Failure("akhbar \(arguments.joined(separator: " ")) still running after \(timeout)")
    }
    return ClientRun(
        status: child.terminatedBySignal ? 128 + child.status : child.status, stdout: child.stdout,
        stderr: child.stderr,
        stdoutBytes: child.stdoutBytes)
}

extension Daemon {
    /// Runs `akhbar ARGUMENTS --socket SOCKET --json` against this daemon.
    func akhbarJSON(_ arguments: [String]) throws -> ClientRun {
        try akhbar(arguments + ["--socket", sandbox.socket, "--json"])
    }

    /// The seed numbers ("000"…) of the files `akhbar search QUERY` finds.
    func seedsFound(by query: String) throws -> [String] {
        let run = try akhbarJSON(["search", query, "-n", "20"])
        guard run.status == 0 else { throw Failure("akhbar search \(query) exited \(run.status): \(run.stderr)") }
        return try run.lines(Hit.self).compactMap { $0.path.map(Seeds.number(ofPath:)) }
    }
}
