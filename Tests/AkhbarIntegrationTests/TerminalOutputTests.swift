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

            let plain = try onTerminal(
                command, in: daemon.sandbox, environment: ["TERM": "xterm-256color", "NO_COLOR": "1"])
            #expect(!plain.contains("\u{1B}["), "colour despite NO_COLOR:\n\(plain)")
            #expect(plain.contains("مصراته"))
        }
    }

    @Test("stats on a terminal aligns its values and gives the store's size in binary units")
    func stats() throws {
        try withDaemon(seeds: true) { daemon in
            daemon.eventually("the seeds ingested") { try daemon.stats().articles == 5 }
            let command = "\(try Binaries.client().path) stats --socket \(daemon.sandbox.socket)"
            let text = try onTerminal(
                command, in: daemon.sandbox, environment: ["TERM": "xterm-256color", "NO_COLOR": "1"])
            let lines = text.split(whereSeparator: \.isNewline).map(String.init)
            let store = try #require(lines.first { $0.hasPrefix("store ") }, "no store line:\n\(text)")
            #expect(store.contains(try Regex(#"\([0-9]+\.[0-9] (KiB|MiB)\)$"#)), "store size: \(store)")
            // Every value starts in the column after the longest label and two spaces.
            let labelled = lines.filter {
                $0.hasPrefix("uptime ") || $0.hasPrefix("store ") || $0.hasPrefix("drop folder ")
            }
            #expect(labelled.count == 3, "\(text)")
            let gap = try Regex(#"  +\S"#)
            let columns = Set(
                labelled.compactMap { line in
                    line.firstRange(of: gap).map { line.distance(from: line.startIndex, to: $0.upperBound) }
                })
            #expect(columns.count == 1, "values not aligned:\n\(text)")
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
