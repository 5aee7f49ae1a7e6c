import AkhbarStore
import Logging
import Systemd

/// What the daemon's services share: made once the store is open and the socket bound, before the
/// service group starts.
struct DaemonParts: Sendable {
    let store: ArticleStore
    let pipeline: IngestPipeline
    let feed: ArticleFeed
    let status: DaemonStatus
    let drop: DropFolderWatch
    let settings: DaemonSettings
    let readiness: Readiness
    let notifier: any ServiceNotifying
    let logger: Logger

    /// A watcher and reconciler for `root`, not started.
    func session(watching root: String) throws -> DropFolderWatch.Session {
        try DropFolderWatch.Session(watching: root, store: store, queue: pipeline.queue, logger: logger)
    }
}
