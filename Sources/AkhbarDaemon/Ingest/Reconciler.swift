import AkhbarStore
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

    /// Returns how many files were queued.
    @discardableResult
    func reconcile(reason: String) async throws -> Int {
        let clock = ContinuousClock()
        let started = clock.now
        let known = try await store.fileStamps()
        let unreadable = try await store.unreadableFiles()
        var changed: [String] = []
        var present = 0
        var seen = Set<String>()
        seen.reserveCapacity(known.count)
        // Watches go on each folder before it is listed, so nothing landing meanwhile is missed.
        let cannotList = { (folder: String, error: SystemCallError) in watcher.cannotList(folder, because: error) }
        DirectoryWalker.walk(root: root, directory: watcher.watch, unreadable: cannotList) { entry in
            present += 1
            seen.insert(entry.path)
            if known[entry.path] != entry.stamp || unreadable.contains(entry.path) { changed.append(entry.path) }
        }
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
}
