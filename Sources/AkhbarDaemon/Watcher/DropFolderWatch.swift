import AkhbarStore
import Logging
import Synchronization

/// The drop folder being watched: its watcher and reconciler, replaced together when a reload
/// points the daemon at another folder.
final class DropFolderWatch: Sendable {
    struct Session: Sendable {
        let watcher: DropWatcher
        let reconciler: Reconciler
    }

    private let current: Mutex<Session>

    init(_ session: Session) {
        current = Mutex(session)
    }

    var session: Session { current.withLock { $0 } }

    /// Installs `next` and returns the session it replaces.
    func replace(with next: Session) -> Session {
        current.withLock { session in
            let previous = session
            session = next
            return previous
        }
    }
}

extension DropFolderWatch.Session {
    /// A watcher of `root` (not started yet) and its reconciler.
    init(watching root: String, store: ArticleStore, queue: IngestQueue, logger: Logger) throws {
        let watcher = try DropWatcher(root: root, logger: logger)
        self.init(
            watcher: watcher,
            reconciler: Reconciler(root: root, store: store, watcher: watcher, queue: queue, logger: logger))
    }
}
