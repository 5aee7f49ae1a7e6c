import AkhbarStore
import Foundation
import Logging

/// Brings the store in line with the drop folder by metadata alone: files whose inode, size or
/// mtime differ from what the store last saw are queued, files the store knows but the folder no
/// longer has are queued to be marked gone. Unchanged files are not opened, except those an older
/// daemon recorded as rejected for an open or read failure, which are tried again.
struct Reconciler: Sendable {
    let root: String
    let store: ArticleStore
    let watcher: DropWatcher
    let queue: IngestQueue
    let logger: Logger

    /// Returns how many files were queued; throws `CancellationError` when cancelled during the
    /// walk, having queued nothing.
    @discardableResult
    func reconcile(reason: String) async throws -> Int {
        let clock = ContinuousClock()
        let started = clock.now
        let known = try await store.fileStamps()
        let unreadable = try await store.unreadableFiles()
        let (changed, present, seen) = await Self.walk(root: root, watcher: watcher, expected: known.count) {
            path, stamp in
            known[path] != stamp || unreadable.contains(path)
        }
        try Task.checkCancellation()
        let gone = known.keys.filter { !seen.contains($0) }
        let inside = root.hasSuffix("/") ? root : root + "/"
        for path in changed { await queue.add(.file(path)) }
        // A vanished file inside the folder is looked at once more (it may be back by now); one
        // outside it (the folder was changed by a reload) is gone for good, even if still on disk.
        for path in gone { await queue.add(path.hasPrefix(inside) ? .file(path) : .tree(path)) }
        logger.info(
            "reconciled",
            metadata: [
                "reason": "\(reason)", "files": "\(present)", "queued": "\(changed.count)", "gone": "\(gone.count)",
                "folders": "\(watcher.watchedFolders)", "duration": "\(clock.now - started)",
            ])
        return changed.count + gone.count
    }

    /// Walks the drop folder on a thread of its own: listing 200,000 files takes seconds of
    /// blocking system calls, which on the cooperative pool would starve the query server.
    /// Returns the files `isChanged` picked, how many files there are and every path seen; a
    /// cancelled walk stops at the next folder.
    private static func walk(
        root: String, watcher: DropWatcher, expected: Int, isChanged: @escaping @Sendable (String, FileStamp) -> Bool
    ) async -> (changed: [String], present: Int, seen: Set<String>) {
        let stop = StopFlag()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    var changed: [String] = []
                    var present = 0
                    var seen = Set<String>()
                    seen.reserveCapacity(expected)
                    // Watches go on each folder before it is listed, so nothing landing meanwhile is missed.
                    DirectoryWalker.walk(
                        root: root, stop: stop, directory: watcher.watch,
                        unreadable: { folder, error in watcher.cannotList(folder, because: error) }
                    ) { entry in
                        present += 1
                        seen.insert(entry.path)
                        if isChanged(entry.path, entry.stamp) { changed.append(entry.path) }
                    }
                    continuation.resume(returning: (changed, present, seen))
                }
            }
        } onCancel: {
            stop.raise()
        }
    }
}
