import AkhbarProtocol
import AkhbarStore
import Foundation
import Synchronization

/// The daemon's state as reported by `Stats` and the service manager's status line.
final class DaemonStatus: Sendable {
    static let version = "0.1.0"

    private let store: ArticleStore
    private let pipeline: IngestPipeline
    private let configuration: Mutex<DaemonConfiguration>
    private let started = ContinuousClock.now
    private let problem = Mutex<String?>(nil)

    init(store: ArticleStore, pipeline: IngestPipeline, configuration: DaemonConfiguration) {
        self.store = store
        self.pipeline = pipeline
        self.configuration = Mutex(configuration)
    }

    /// A condition the operator must know about (e.g. folders that cannot be watched), shown in the status line.
    func report(problem text: String?) {
        problem.withLock { $0 = text }
    }

    func update(configuration new: DaemonConfiguration) {
        configuration.withLock { $0 = new }
    }

    func stats() async throws(VarlinkError) -> StatsReply {
        let counts: ArticleStore.Counts
        do {
            counts = try await store.counts()
        } catch {
            throw .storeUnavailable(String(describing: error))
        }
        let queued = await pipeline.depth()
        let configuration = self.configuration.withLock { $0 }
        let uptime = ContinuousClock.now - started
        return StatsReply(
            articles: counts.articles, files: counts.files, rejected: counts.rejected, queued: queued,
            storeBytes: store.sizeOnDisk,
            uptimeSeconds: Double(uptime.components.seconds) + Double(uptime.components.attoseconds) / 1e18,
            lastIngest: counts.lastIngest, dropFolder: configuration.dropFolder, store: store.path,
            status: line(counts: counts, queued: queued, folder: configuration.dropFolder))
    }

    /// "31030 articles, 0 queued, 2 rejected, watching /srv/drop"
    func statusLine() async -> String {
        let stats = try? await stats()
        return stats?.status ?? "store unavailable"
    }

    private func line(counts: ArticleStore.Counts, queued: Int, folder: String) -> String {
        var text = "\(counts.articles) articles, \(queued) queued, \(counts.rejected) rejected, watching \(folder)"
        if let problem = problem.withLock({ $0 }) { text += "; " + problem }
        return text
    }
}
