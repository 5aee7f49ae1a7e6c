import Foundation
import Testing

/// The client as a person sees it: on a terminal (a pty, through util-linux `script`).
@Suite("akhbar on a terminal")
struct TerminalOutputTests {
    @Test("search on a terminal prints readable lines with the match highlighted; NO_COLOR turns colour off")
    func highlighted() throws {
        try withDaemon(seeds: true) { daemon in
            daemon.eventually("the seeds ingested") { try daemon.stats().articles == 5 }
            let command = "\(try Binaries.client().path) search مصراته --socket \(daemon.sandbox.socket)"
            let coloured = try onTerminal(command, in: daemon.sandbox, environment: ["TERM": "xterm-256color"])
            #expect(!coloured.hasPrefix("{"), "JSON on a terminal:\n\(coloured)")
            #expect(coloured.contains("\u{1B}[1;33mمصراته\u{1B}[0m"), "no highlighted match:\n\(coloured)")

            let plain = try onTerminal(command, in: daemon.sandbox, environment: ["TERM": "xterm-256color", "NO_COLOR": "1"])
            #expect(!plain.contains("\u{1B}["), "colour despite NO_COLOR:\n\(plain)")
            #expect(plain.contains("مصراته"))
        }
    }

    /// Runs `command` under a pseudo-terminal and returns what it printed.
    private func onTerminal(_ command: String, in sandbox: Sandbox, environment: [String: String]) throws -> String {
        let child = try ChildProcess(
            URL(fileURLWithPath: "/usr/bin/script"), ["--quiet", "--return", "--command", command, "/dev/null"],
            name: "script-\(UUID().uuidString.prefix(6))", in: sandbox.root, environment: environment
        )
        guard child.wait(timeout: .seconds(30)) else { throw Failure("\(command) still running on the terminal") }
        #expect(child.status == 0, "\(command) on a terminal exited \(child.status): \(child.tail())")
        return child.stdout
    }
}
