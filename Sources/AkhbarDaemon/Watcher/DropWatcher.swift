import CLinuxOpen
import Foundation
import Glibc
import Logging
import Synchronization

/// Watches the drop folder and its subfolders with inotify, reporting files once they are complete.
///
/// A file is reported once complete: on `IN_CLOSE_WRITE` or `IN_MOVED_TO`, never on modify, so a
/// file still being written is never read half-done. A create reports a file only when it is a
/// new name for content that already exists: a hard link (`ln`), whose link count is above one,
/// or an `O_TMPFILE` file given its name with `linkat`, reported when its writer closes it (the
/// kernel names that close `#INODE`). New subfolders get a watch and are then scanned, because
/// files can land in them before the watch exists. Every folder is opened beneath the drop folder
/// and watched through its descriptor, so a folder swapped for a link is never watched.
final class DropWatcher: Sendable {
    /// What the watcher tells the daemon.
    enum Notice: Sendable {
        case event(DropEvent)
        /// The kernel's event queue overflowed: only a full reconcile can tell what happened.
        case overflow
        /// A folder could not be watched (for example the inotify watch limit is reached).
        case watchFailed(path: String, reason: String)
        case rootGone
    }

    let root: String
    let notices: AsyncStream<Notice>
    private let continuation: AsyncStream<Notice>.Continuation
    private let fd: Int32
    private let state = Mutex(State())
    private let logger: Logger

    private struct State {
        var folders: [Int32: String] = [:]
        var running = true
        /// Files created with one link and not yet closed, by inode: one of them may be an
        /// `O_TMPFILE` file whose close arrives under its inode number rather than its name.
        var created: [UInt64: String] = [:]
        var createdInodes: [String: UInt64] = [:]
    }

    /// Enough for every file being written at once by any sane set of producers; past it all are
    /// forgotten, and a rescan still finds an `O_TMPFILE` file whose close then went unrecognized.
    private static let createdLimit = 4096

    private static let folderMask = UInt32(
        IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_ATTRIB | IN_DELETE_SELF
            | IN_MOVE_SELF | IN_ONLYDIR)

    init(root: String, logger: Logger) throws {
        fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        self.root = root
        self.logger = logger
        (notices, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    deinit {
        close(fd)
    }

    var watchedFolders: Int { state.withLock { $0.folders.count } }

    /// Adds a watch on one folder (not its subfolders), given as its path and an open descriptor:
    /// the watch goes on the folder the descriptor holds, whatever its path leads to by now.
    func watch(_ folder: String, descriptor: Int32) {
        let wd = inotify_add_watch(fd, "/proc/self/fd/\(descriptor)", Self.folderMask)
        if wd < 0 {
            let code = errno
            let reason =
                code == ENOSPC
                ? "the inotify watch limit is reached (raise fs.inotify.max_user_watches)"
                : String(cString: strerror(code))
            logger.error("cannot watch folder", metadata: ["path": "\(folder)", "reason": "\(reason)"])
            continuation.yield(.watchFailed(path: folder, reason: reason))
            return
        }
        state.withLock { $0.folders[wd] = folder }
    }

    /// Watches a folder that just appeared, then reports every file already inside it.
    private func adopt(_ folder: String, attempt: Int = 0) {
        let unreadable = { (folder: String, error: SystemCallError) in
            self.cannotList(folder, because: error, attempt: attempt)
        }
        DirectoryWalker.walk(root: root, from: folder, directory: watch, unreadable: unreadable) { entry in
            continuation.yield(.event(.file(entry.path)))
        }
    }

    /// Says that a folder cannot be listed, which also leaves it unwatched: the watch goes on the
    /// opened folder. One refused for a passing reason (descriptors used up, an I/O error) is
    /// adopted again after 1 s, doubling up to a minute; one refused for its permissions waits for
    /// them to change, which adopts it too.
    func cannotList(_ folder: String, because error: SystemCallError, attempt: Int = 0) {
        var metadata: Logger.Metadata = ["path": "\(folder)", "reason": "\(error)"]
        let delay = Duration.seconds(min(1 << min(attempt, 6), 60))
        let passing = [EMFILE, ENFILE, ENOMEM, EIO, EINTR].contains(error.code)
        if passing { metadata["retry_in"] = "\(delay)" }
        logger.error("cannot list folder", metadata: metadata)
        continuation.yield(.watchFailed(path: folder, reason: "cannot list it: \(error)"))
        guard passing else { return }
        Task { [self] in
            try? await Task.sleep(for: delay)
            if state.withLock({ $0.running }) { adopt(folder, attempt: attempt + 1) }
        }
    }

    /// Reads events on a dedicated thread until ``stop()``.
    func start() {
        let thread = Thread { [self] in self.readLoop() }
        thread.name = "inotify"
        thread.start()
    }

    func stop() {
        state.withLock { $0.running = false }
    }

    private func readLoop() {
        let capacity = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer {
            buffer.deallocate()
            continuation.finish()
        }
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while state.withLock({ $0.running }) {
            // A timeout lets the loop notice stop() without closing the descriptor under its feet.
            guard poll(&poller, 1, 200) > 0 else { continue }
            let count = read(fd, buffer, capacity)
            if count <= 0 { continue }
            var offset = 0
            while offset < count {
                let event = buffer.advanced(by: offset).assumingMemoryBound(to: inotify_event.self).pointee
                let nameStart = buffer.advanced(by: offset + MemoryLayout<inotify_event>.size)
                let raw = UnsafeRawBufferPointer(start: nameStart, count: Int(event.len))
                let name = EscapedPath.text(raw.prefix(while: { $0 != 0 }))
                handle(event, name: name)
                offset += MemoryLayout<inotify_event>.size + Int(event.len)
            }
        }
    }

    private func handle(_ event: inotify_event, name: String) {
        let mask = event.mask
        if mask & UInt32(IN_Q_OVERFLOW) != 0 {
            logger.warning("inotify queue overflowed; reconciling the whole drop folder")
            continuation.yield(.overflow)
            return
        }
        if mask & UInt32(IN_IGNORED) != 0 {
            state.withLock { _ = $0.folders.removeValue(forKey: event.wd) }
            return
        }
        guard let folder = state.withLock({ $0.folders[event.wd] }) else { return }
        if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
            if folder == root {
                logger.error("the drop folder itself was removed or moved", metadata: ["path": "\(root)"])
                continuation.yield(.rootGone)
            }
            return
        }
        let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
        let isFolder = mask & UInt32(IN_ISDIR) != 0
        if isFolder {
            if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0, !DropNames.isIgnored(name[...]) {
                adopt(path)
            } else if mask & UInt32(IN_ATTRIB) != 0, !DropNames.isIgnored(name[...]),
                !state.withLock({ $0.folders.values.contains(path) })
            {
                // A folder that could not be listed may have just been opened up.
                adopt(path)
            } else if mask & UInt32(IN_MOVED_FROM | IN_DELETE) != 0 {
                forget(folder: path)
                continuation.yield(.event(.tree(path)))
            }
            return
        }
        if mask & UInt32(IN_CLOSE_WRITE) != 0, let linked = linkedTemporaryFile(named: name) {
            continuation.yield(.event(.file(linked)))
            return
        }
        if DropNames.isIgnored(name[...]) { return }
        if mask & UInt32(IN_CREATE) != 0 {
            created(path)
        } else if mask & UInt32(IN_ATTRIB) != 0 {
            continuation.yield(.event(.attributes(path)))
        }
        if mask & UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE) != 0 {
            forgetCreated(path)
            continuation.yield(.event(.file(path)))
        }
    }

    /// A file just created: a hard link to existing content is complete and reported at once;
    /// a new file with one link is remembered by inode until its writer closes it.
    private func created(_ path: String) {
        guard let relative = Beneath.relative(path, to: root), let beneath = try? Beneath(root: root),
            let handle = try? beneath.open(relative, flags: akhbar_O_PATH)
        else { return }
        defer { close(handle) }
        var info = stat()
        guard fstat(handle, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return }
        if info.st_nlink > 1 {
            continuation.yield(.event(.file(path)))
            return
        }
        state.withLock { state in
            if state.created.count >= Self.createdLimit {
                state.created.removeAll()
                state.createdInodes.removeAll()
            }
            if let replaced = state.createdInodes.updateValue(UInt64(info.st_ino), forKey: path) {
                state.created[replaced] = nil
            }
            state.created[UInt64(info.st_ino)] = path
        }
    }

    private func forgetCreated(_ path: String) {
        state.withLock { state in
            if let inode = state.createdInodes.removeValue(forKey: path) { state.created[inode] = nil }
        }
    }

    /// The name an `O_TMPFILE` file was linked to, when `name` is the `#INODE` its close is
    /// reported under and a file of that inode was created since.
    private func linkedTemporaryFile(named name: String) -> String? {
        guard name.hasPrefix("#"), let inode = UInt64(name.dropFirst()) else { return nil }
        return state.withLock { state in
            guard let path = state.created.removeValue(forKey: inode) else { return nil }
            state.createdInodes[path] = nil
            return path
        }
    }

    /// Drops the watches of a folder that moved away, so its old paths are not reported any more.
    private func forget(folder: String) {
        let prefix = folder + "/"
        let stale = state.withLock { state in
            state.folders.filter { $0.value == folder || $0.value.hasPrefix(prefix) }.map(\.key)
        }
        for wd in stale {
            inotify_rm_watch(fd, wd)
            state.withLock { _ = $0.folders.removeValue(forKey: wd) }
        }
    }
}
