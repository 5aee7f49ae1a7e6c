import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// The client as a person sees it: on a terminal (a pty, through util-linux `script`).
///
/// The daemon runs in the test's process (``withInProcessDaemon``); what blocks waits on a thread
/// of its own.
@Suite("akhbar on a terminal")
struct InProcessTerminalOutputTests {
    @Test("search on a terminal prints readable lines with the match highlighted; NO_COLOR turns colour off")
    func highlighted() async throws {
        try await withInProcessDaemon(seeds: true) { daemon in
            await daemon.eventually("the seeds ingested") { try await daemon.stats().articles == 5 }
            let command = "\(try Binaries.client().path) search مصراته --socket \(daemon.sandbox.socket)"
            let coloured = try await onTerminal(command, in: daemon.sandbox, environment: ["TERM": "xterm-256color"])
            #expect(!coloured.hasPrefix("{"), "JSON on a terminal:\n\(coloured)")
            #expect(coloured.contains("\u{1B}[1;33mمصراته\u{1B}[0m"), "no highlighted match:\n\(coloured)")

            let plain = try await onTerminal(
                command, in: daemon.sandbox, environment: ["TERM": "xterm-256color", "NO_COLOR": "1"])
            #expect(!plain.contains("\u{1B}["), "colour despite NO_COLOR:\n\(plain)")
            #expect(plain.contains("مصراته"))
        }
    }

    @Test("show on a terminal numbers the sources and says a headline-only article has no text")
    func headlineOnly() async throws {
        try await withInProcessDaemon { daemon in
            _ = try daemon.sandbox.write("عاجل: زيتونةالعرض في الميدان\n", to: daemon.sandbox.dropped("flash.txt"))
            _ = try daemon.sandbox.write("عاجل: زيتونةالعرض في الميدان", to: daemon.sandbox.dropped("copy.txt"))
            await daemon.eventually("both files ingested") { try await daemon.stats().files == 2 }
            let id = try #require(try await daemon.search("زيتونةالعرض").first).id
            let command = "\(try Binaries.client().path) show \(id) --socket \(daemon.sandbox.socket)"
            let text = try await onTerminal(
                command, in: daemon.sandbox, environment: ["TERM": "xterm-256color", "NO_COLOR": "1"])
            #expect(text.contains("headline only: the file has no article text"), "\(text)")
            let numbered = ["flash.txt", "copy.txt"].map { name in
                text.split(whereSeparator: \.isNewline).first { $0.contains("/drop/" + name) }?.prefix(4)
            }
            #expect(Set(numbered) == ["[1] ", "[2] "], "\(text)")
        }
    }

    @Test("stats on a terminal aligns its values and gives the store's size in binary units")
    func stats() async throws {
        try await withInProcessDaemon(seeds: true) { daemon in
            await daemon.eventually("the seeds ingested") { try await daemon.stats().articles == 5 }
            let command = "\(try Binaries.client().path) stats --socket \(daemon.sandbox.socket)"
            let text = try await onTerminal(
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
    @Test("count on a terminal draws a bar a row, Arabic labels isolated so the columns keep their places")
    func countChart() async throws {
        try await withInProcessDaemon(seeds: true) { daemon in
            await daemon.eventually("the seeds ingested") { try await daemon.stats().articles == 5 }
            let client = try Binaries.client().path
            let command = "\(client) count --by outlet -q ليبيا -q واشنطن --socket \(daemon.sandbox.socket)"
            let text = try await onTerminal(
                command, in: daemon.sandbox, environment: ["TERM": "xterm-256color", "NO_COLOR": "1", "COLUMNS": "80"])
            let lines = text.split(whereSeparator: \.isNewline).map(String.init)
            let rows = lines.filter { $0.contains("█") }
            #expect(!rows.isEmpty, "no bars:\n\(text)")
            // Every Arabic label sits in an isolate, and the first bar starts in the same column on
            // every row.
            #expect(rows.allSatisfy { $0.hasPrefix("\u{2068}") }, "\(text)")
            let barColumns = Set(
                rows.compactMap { row -> Int? in
                    let scalars = Array(row.unicodeScalars)
                    guard let isolateEnd = scalars.firstIndex(of: "\u{2069}") else { return nil }
                    let label = scalars[1..<isolateEnd].filter { $0.properties.generalCategory != .nonspacingMark }
                    let spaces = scalars[(isolateEnd + 1)...].prefix { $0 == " " }.count
                    return label.count + spaces
                })
            #expect(barColumns.count == 1, "bars start in different columns: \(barColumns)\n\(text)")
            #expect(lines.contains { $0.contains("articles") && $0.contains("stories") }, "no totals:\n\(text)")
            // Piped, the same command prints one JSON object per outlet.
            let piped = try await akhbarRun(["count", "--by", "outlet", "--socket", daemon.sandbox.socket])
            let buckets = try piped.lines(CountBucket.self)
            #expect(buckets.reduce(0) { $0 + $1.articles } == 5, "\(piped.stdout)")
        }
    }

    @Test("terms on a terminal prints an aligned table of Arabic terms; piped, JSON lines; no query is a usage error")
    func termsTable() async throws {
        try await withInProcessDaemon(seeds: true) { daemon in
            // The seeds are about Libya; twenty committee meetings give the archive something else.
            for index in 0..<20 {
                try daemon.sandbox.write(
                    SampleArticle.text(title: "meeting\(index)"), to: daemon.sandbox.dropped("m\(index).txt"))
            }
            await daemon.eventually("the articles ingested") { try await daemon.stats().articles == 25 }
            let piped = try await akhbarRun(["terms", "ليبيا", "--socket", daemon.sandbox.socket])
            #expect(piped.status == 0, "\(piped.stderr)")
            let terms = try piped.lines(SignificantTerm.self)
            #expect(!terms.isEmpty && terms.allSatisfy { $0.count >= 2 && $0.archive >= $0.count }, "\(piped.stdout)")
            #expect(terms.contains { $0.text == "ليبيا" }, "\(piped.stdout)")

            let command = "\(try Binaries.client().path) terms ليبيا --socket \(daemon.sandbox.socket)"
            let text = try await onTerminal(
                command, in: daemon.sandbox, environment: ["TERM": "xterm-256color", "NO_COLOR": "1", "COLUMNS": "80"])
            let rows = text.split(whereSeparator: \.isNewline).map(String.init).filter { $0.hasPrefix("\u{2068}") }
            #expect(rows.count == terms.count, "\(text)")
            // The numbers are right-aligned: each row's first share ends in the same column.
            let columns = Set(
                rows.compactMap { row -> Int? in
                    let shown = Array(row.unicodeScalars).filter {
                        $0.properties.generalCategory != .nonspacingMark && $0.properties.generalCategory != .format
                    }
                    return shown.firstIndex(of: "%")
                })
            #expect(columns.count == 1, "columns differ: \(columns)\n\(text)")
            #expect(text.contains("matching articles"), "no summary:\n\(text)")

            let bare = try await akhbarRun(["terms", "--socket", daemon.sandbox.socket])
            #expect(bare.status == 2 && bare.stderr.contains("query"), "\(bare.status) \(bare.stderr)")
        }
    }

    private func onTerminal(_ command: String, in sandbox: Sandbox, environment: [String: String]) async throws
        -> String
    {
        let (status, stdout, tail) = try await onOwnThread {
            let child = try ChildProcess(
                URL(fileURLWithPath: "/usr/bin/script"), ["--quiet", "--return", "--command", command, "/dev/null"],
                name: "script-\(UUID().uuidString.prefix(6))", in: sandbox.root, environment: environment
            )
            guard child.wait(timeout: .seconds(30)) else { throw Failure("\(command) still running on the terminal") }
            return (child.status, child.stdout, child.tail())
        }
        #expect(status == 0, "\(command) on a terminal exited \(status): \(tail)")
        return stdout
    }
}
