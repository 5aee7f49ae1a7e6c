import Logging
import Synchronization
import Testing

@testable import AkhbarDaemon

/// The ingest's info lines: a few a burst, however many files it holds.
@Suite("Ingest progress")
struct IngestProgressTests {
    /// Keeps every line logged through it.
    private final class Lines: Sendable {
        let lines = Mutex<[(level: Logger.Level, message: String, metadata: Logger.Metadata)]>([])

        var logger: Logger {
            Logger(label: "test") { _ in Handler(lines: self) }
        }

        struct Handler: LogHandler {
            let lines: Lines
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace

            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }

            func log(event: LogEvent) {
                lines.lines.withLock { $0.append((event.level, "\(event.message)", event.metadata ?? [:])) }
            }
        }
    }

    @Test("a burst of a thousand files says how it goes every five seconds and sums up once when quiet")
    func burst() {
        let lines = Lines()
        let progress = IngestProgress(logger: lines.logger)
        let start = ContinuousClock.now
        // 1,000 files in batches of 10 over 12 s: a line at 5 s and 10 s, and the summary.
        for batch in 0..<100 {
            let tally = IngestProgress.Tally(files: 10, articles: 12, rejected: batch % 10 == 0 ? 1 : 0, onlyPath: nil)
            progress.committed(tally, queued: 1000 - batch * 10, now: start + .milliseconds(batch * 120))
        }
        let ended = progress.quiet()
        #expect(ended == IngestProgress.Tally(files: 1000, articles: 1200, rejected: 10))
        let logged = lines.lines.withLock { $0 }
        #expect(logged.map(\.message) == ["ingesting", "ingesting", "ingested"], "\(logged.map(\.message))")
        #expect(logged.allSatisfy { $0.level == .info })
        #expect(logged.last?.metadata["files"] == "1000" && logged.last?.metadata["seconds"] == "11.8")
        #expect(logged.last?.metadata["path"] == nil)
        // The progress lines count what came since the one before, not since the start.
        let reported = logged.dropLast().compactMap { $0.metadata["files"].flatMap { Int("\($0)") } }
        #expect(reported.allSatisfy { $0 > 0 && $0 <= 500 }, "\(reported)")

        progress.quiet()
        #expect(lines.lines.withLock { $0.count } == 3, "a quiet moment with nothing new logged a line")
    }

    @Test("a single file's summary names it")
    func single() {
        let lines = Lines()
        let progress = IngestProgress(logger: lines.logger)
        let one = IngestProgress.Tally(files: 1, articles: 2, onlyPath: "/srv/drop/a.json", onlyArticleIDs: [7, 8])
        progress.committed(one, queued: 0)
        progress.quiet()
        let logged = lines.lines.withLock { $0 }
        #expect(logged.count == 1)
        #expect(logged.first?.metadata["path"] == "/srv/drop/a.json")
        #expect(logged.first?.metadata["article_id"] == "7,8")
    }
}
