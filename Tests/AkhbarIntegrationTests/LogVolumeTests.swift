import AkhbarProtocol
import Foundation
import Testing

/// journald drops a unit's messages, errors included, past 10,000 in 30 s: a bulk ingest must say
/// a few lines at info, not one a file.
@Suite("Log volume")
struct LogVolumeTests {
    @Test("a bulk ingest logs a few info lines, summing every file up, and none per file")
    func bulkIngest() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let count = 300
        for index in 0..<count {
            try sandbox.write(
                SampleArticle.text(title: "logvolume\(index)marker"), to: sandbox.dropped("bulk-\(index).txt"))
        }
        let daemon = try Daemon(
            sandbox,
            arguments: [
                "--drop", sandbox.drop.path, "--store", sandbox.store.path, "--socket", sandbox.socket,
                "--log-level", "info",
            ])
        defer { daemon.stop() }
        try daemon.waitUntilAnswering()
        daemon.eventually("the start-up ingest summed up") {
            Self.summaries(daemon.process.stderr).reduce(0, +) == count
        }
        // One more file after the start-up ingest, alone: its summary names it.
        try sandbox.write(SampleArticle.text(title: "logvolumelatemarker"), to: sandbox.dropped("late.txt"))
        let summed = daemon.eventually("the ingest summed up") {
            Self.summaries(daemon.process.stderr).reduce(0, +) == count + 1
        }
        let log = daemon.process.stderr
        try #require(summed, "summaries: \(Self.summaries(log))\n\(log.suffix(2000))")
        let lines = log.split(separator: "\n")
        #expect(!lines.contains { $0.contains(" info ingested") && !$0.contains(" files=") }, "a line per file")
        #expect(lines.count < 30, "\(lines.count) lines for \(count) files:\n\(log.suffix(2000))")
        #expect(
            lines.contains {
                $0.contains(" info ingested") && $0.contains(" files=1 ") && $0.contains("late.txt")
                    && $0.contains("article_id=")
            })
    }

    /// The file counts of the "ingested" summary lines.
    private static func summaries(_ log: String) -> [Int] {
        log.split(separator: "\n").filter { $0.contains(" info ingested ") }.compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("files=") }.flatMap { Int($0.dropFirst(6)) }
        }
    }
}
