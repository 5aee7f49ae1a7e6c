import Foundation
import Logging
import ServiceLifecycle

/// The drop folder's watch: feeds the watcher's events to the ingest queue, reconciles after an
/// inotify overflow or a change of folder, and waits for a folder removed or moved away to come
/// back, throwing (which stops the daemon with a failure) when it stays away past the grace.
final class DropFolderService: Service, Sendable {
    private enum Event: Sendable {
        /// A session was started in place of the current one, to be fed and reconciled.
        case adopted(DropFolderWatch.Session, reason: String)
        /// The folder of this watcher was removed or moved away.
        case gone(DropWatcher)
        /// The folder of this (stopped) watcher is there again.
        case back(DropWatcher)
        /// The folder of this watcher stayed away for longer than the grace.
        case lost(DropWatcher)
    }

    private let parts: DaemonParts
    private let events: AsyncStream<Event>
    private let announce: AsyncStream<Event>.Continuation

    init(parts: DaemonParts) {
        self.parts = parts
        (events, announce) = AsyncStream.makeStream(of: Event.self)
    }

    /// Watches `root` in place of the current folder; throws, changing nothing, when it cannot be
    /// watched. The new folder is reconciled beside the service's loop.
    func watch(_ root: String, reason: String) throws {
        let next = try parts.session(watching: root)
        next.watcher.start()
        parts.drop.replace(with: next).watcher.stop()
        parts.pipeline.update(root: root)
        announce.yield(.adopted(next, reason: reason))
    }

    func run() async throws {
        let fatal: DaemonError? = await withTaskGroup(of: Void.self) { group in
            let first = parts.drop.session
            group.addTask { await self.forward(first) }
            defer {
                parts.drop.session.watcher.stop()
                group.cancelAll()
            }
            for await event in events.cancelOnGracefulShutdown() {
                switch event {
                case .adopted(let session, let reason):
                    group.addTask { await self.forward(session) }
                    group.addTask { await Self.reconcile(session, reason: reason, parts: self.parts) }
                case .gone(let watcher):
                    guard watcher === parts.drop.session.watcher else { continue }
                    // Its watches are gone with it, or follow it to where it was moved; nothing it
                    // would report from now on is in the drop folder.
                    watcher.stop()
                    let grace = parts.settings.configuration.dropGrace
                    parts.status.raise(
                        .dropFolder,
                        "the drop folder \(watcher.root) was removed or moved away; nothing is ingested until it "
                            + "is back (waiting \(grace.components.seconds) s)")
                    parts.notifier.status(await parts.status.statusLine())
                    group.addTask {
                        let back = await Self.waitForFolder(watcher.root, within: grace)
                        self.announce.yield(back ? .back(watcher) : .lost(watcher))
                    }
                case .back(let watcher):
                    guard watcher === parts.drop.session.watcher else { continue }
                    parts.logger.notice(
                        "the drop folder is back; watching it again", metadata: ["path": "\(watcher.root)"])
                    do {
                        try watch(watcher.root, reason: "the drop folder came back")
                        parts.status.clear(.dropFolder)
                    } catch {
                        return DaemonError("cannot watch the drop folder \(watcher.root) again: \(error)")
                    }
                    parts.notifier.status(await parts.status.statusLine())
                case .lost(let watcher):
                    guard watcher === parts.drop.session.watcher else { continue }
                    let reason =
                        "the drop folder \(watcher.root) was removed or moved away and is still gone after "
                        + "\(parts.settings.configuration.dropGrace.components.seconds) s"
                    parts.logger.error("stopping: \(reason)")
                    parts.notifier.status("stopping: \(reason)")
                    return DaemonError(reason)
                }
            }
            return nil
        }
        announce.finish()
        if let fatal { throw fatal }
    }

    /// Feeds one watcher's notices to the queue until that watcher stops.
    private func forward(_ session: DropFolderWatch.Session) async {
        for await notice in session.watcher.notices {
            switch notice {
            case .event(let event):
                if case .tree(let folder) = event { parts.status.clearWatchProblems(under: folder) }
                await parts.pipeline.queue.add(event)
            case .overflow:
                await Self.reconcile(session, reason: "inotify queue overflow", parts: parts)
            case .watchFailed(let path, let reason):
                parts.status.raise(.watch(path), "cannot watch \(path): \(reason)")
            case .rootGone:
                announce.yield(.gone(session.watcher))
            }
        }
    }

    /// Reconciles, keeping the reconcile and watch problems in step with the outcome.
    private static func reconcile(_ session: DropFolderWatch.Session, reason: String, parts: DaemonParts) async {
        // The walk watches every folder again; those that still fail are reported anew.
        parts.status.clearWatchProblems()
        do {
            try await session.reconciler.reconcile(reason: reason)
            parts.status.clear(.reconcile)
        } catch is CancellationError {
            // The daemon is stopping: the next start reconciles.
        } catch {
            parts.logger.error(
                "cannot reconcile the drop folder with the store: \(error)", metadata: ["reason": "\(error)"])
            parts.status.raise(.reconcile, "cannot reconcile the drop folder with the store (\(reason)): \(error)")
        }
    }

    /// Whether `folder` is a folder again within `grace`, looked for four times a second.
    private static func waitForFolder(_ folder: String, within grace: Duration) async -> Bool {
        let deadline = ContinuousClock.now + grace
        while !Task.isCancelled {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue {
                return true
            }
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return false
    }
}
