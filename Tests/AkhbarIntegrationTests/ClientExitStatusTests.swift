import AkhbarProtocol
import Foundation
import Glibc
import Testing

@Suite("akhbar exit statuses and error messages")
struct ClientExitStatusTests {
    @Test("no daemon: one line on stderr naming the socket and how to start akhbard, status 69")
    func noDaemon() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        for run in [
            try akhbar(["stats", "--socket", sandbox.socket]),
            try akhbar(["search", "ليبيا"], environment: ["AKHBAR_SOCKET": sandbox.socket]),
        ] {
            #expect(run.status == 69)
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
            #expect(
                run.stderr.hasPrefix("akhbar: no daemon at \(sandbox.socket) (no such file or directory)"),
                "\(run.stderr)")
            #expect(run.stderr.contains("akhbard --drop"), "\(run.stderr)")
        }
    }

    @Test("a socket file nobody listens on: connection refused, status 69")
    func staleSocket() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try bindAndAbandon(sandbox.socket)
        let run = try akhbar(["recent", "--socket", sandbox.socket])
        #expect(run.status == 69)
        #expect(run.stderr.contains("(connection refused)"), "\(run.stderr)")
    }

    @Test(
        "usage errors exit 2 without touching the socket",
        arguments: [
            ["search"], ["search", "x", "--since", "2025-13-01"], ["search", "x", "--until", "2025-02-29"],
            ["show", "1", "--json", "--raw"], ["search", "x", "--jsn"],
            ["recent", "-n", "0"], ["nonsense"],
        ])
    func usage(arguments: [String]) throws {
        let run = try akhbar(arguments + ["--socket", "/nonexistent/akhbar.sock"])
        #expect(run.status == 2, "akhbar \(arguments) → \(run.status): \(run.stderr)")
        #expect(!run.stderr.isEmpty)
    }

    @Test("every command has --help with examples")
    func help() throws {
        for command in ["search", "show", "similar", "recent", "follow", "stats", "rejected", "export", "rescan"] {
            let run = try akhbar([command, "--help"])
            #expect(run.status == 0)
            #expect(
                run.stdout.contains("Examples:") && run.stdout.contains("akhbar \(command)"), "akhbar \(command) --help"
            )
        }
        for arguments in [["help", "query"], ["query"]] {
            let guide = try akhbar(arguments)
            #expect(guide.status == 0)
            #expect(
                guide.stdout.contains("NEAR(") && guide.stdout.contains("date:2015-07")
                    && guide.stdout.contains("Examples:"), "akhbar \(arguments)")
        }
        let root = try akhbar(["--help"])
        #expect(root.stdout.contains("69"), "the root help documents the exit statuses")
    }

    /// Leaves a socket file behind with no listener, as a crashed daemon would.
    private func bindAndAbandon(_ path: String) throws {
        close(try boundUnixSocket(at: path))
    }
}
