import Logging
import Synchronization

/// What the ingest says at info level: a line every few seconds while a burst lasts and one when it
/// ends, instead of a line per file.
///
/// journald keeps 10,000 messages a unit in 30 s by default and then drops everything, warnings and
/// errors included, until the interval ends: a bulk ingest of 30,000 files in 16 s with a line each
/// would silence the daemon. Per-file lines go to debug; rejections and failures stay one a file,
/// as warnings, since each asks for someone to act.
final class IngestProgress: Sendable {
    /// How often a burst that goes on says how far it got.
    static let interval = Duration.seconds(5)

    /// Files and articles committed since a moment.
    struct Tally: Sendable, Equatable {
        var files = 0
        var articles = 0
        var rejected = 0
        /// The only file of the tally and its articles, named in the summary of a burst of one:
        /// the journal can then be searched by path or article id for the usual single drop.
        var onlyPath: String?
        var onlyArticleIDs: [Int64] = []

        var isEmpty: Bool { files == 0 }

        mutating func add(_ other: Tally) {
            let alone = files == 0 && other.files == 1
            onlyPath = alone ? other.onlyPath : nil
            onlyArticleIDs = alone ? other.onlyArticleIDs : []
            files += other.files
            articles += other.articles
            rejected += other.rejected
        }
    }

    private struct State {
        var burst = Tally()
        var burstStart: ContinuousClock.Instant?
        var lastCommit: ContinuousClock.Instant?
        var sinceReport = Tally()
        var lastReport: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Counts a committed batch, and says how the burst goes when the last such line is
    /// ``interval`` old; `queued` is what is left to ingest.
    func committed(_ tally: Tally, queued: Int, now: ContinuousClock.Instant = .now) {
        let report: (Tally, Duration)? = state.withLock { state in
            if state.burstStart == nil {
                state.burstStart = now
                state.lastReport = now
            }
            state.lastCommit = now
            state.burst.add(tally)
            state.sinceReport.add(tally)
            guard let last = state.lastReport, now - last >= Self.interval else { return nil }
            defer {
                state.sinceReport = Tally()
                state.lastReport = now
            }
            return (state.sinceReport, now - last)
        }
        guard let (recent, span) = report else { return }
        logger.info(
            "ingesting",
            metadata: [
                "files": "\(recent.files)", "articles": "\(recent.articles)", "rejected": "\(recent.rejected)",
                "seconds": "\(Self.seconds(span))", "queued": "\(queued)",
            ])
    }

    /// Ingest went quiet: sums the burst up in one line, once, timed from its first commit to its
    /// last. Returns the burst's tally.
    @discardableResult
    func quiet() -> Tally {
        let ended: (Tally, Duration)? = state.withLock { state in
            guard let start = state.burstStart, let end = state.lastCommit, !state.burst.isEmpty else { return nil }
            defer { state = State() }
            return (state.burst, end - start)
        }
        guard let (burst, span) = ended else { return Tally() }
        var metadata: Logger.Metadata = [
            "files": "\(burst.files)", "articles": "\(burst.articles)", "rejected": "\(burst.rejected)",
            "seconds": "\(Self.seconds(span))",
        ]
        if let path = burst.onlyPath { metadata["path"] = "\(path)" }
        if !burst.onlyArticleIDs.isEmpty {
            metadata["article_id"] = "\(burst.onlyArticleIDs.map(String.init).joined(separator: ","))"
        }
        logger.info("ingested", metadata: metadata)
        return burst
    }

    private static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let tenths = seconds * 10 + attoseconds / 100_000_000_000_000_000
        return "\(tenths / 10).\(tenths % 10)"
    }
}
