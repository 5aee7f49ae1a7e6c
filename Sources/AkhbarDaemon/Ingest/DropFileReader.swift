import AkhbarStore
import Articles
import CLinuxOpen
import Glibc

/// Reads and parses one drop file into the item the store applies.
struct DropFileReader: Sendable {
    var parser: DropFileParser
    /// The drop folder (text form); nothing outside it is ever opened.
    var root: String

    /// What looking at a path came to.
    enum Outcome {
        /// A change for the store: the file's articles, a rejection of its content, or its absence.
        case item(IngestItem)
        /// The file could not be opened or read for a reason that may pass (permissions fixed
        /// later, descriptors exhausted, an I/O error): not the content's fault, so it is tried
        /// again rather than recorded.
        case failed(reason: String)
    }

    /// Looks at `path` (text form) as it is now. The path is resolved beneath the drop folder
    /// without following any link, and its type is checked on an `O_PATH` descriptor before
    /// anything is opened for reading: opening a device node can have effects of its own, and a
    /// FIFO would block. A path that leads to no regular file inside the folder is gone.
    /// With `watches`, each article is also checked against the watches here, in a parsing worker,
    /// rather than by the one writer.
    func read(_ path: String, watches: WatchPreparation? = nil) -> Outcome {
        guard let relative = Beneath.relative(path, to: root), !relative.isEmpty else {
            return .item(.gone(path: path, tree: false))
        }
        let beneath: Beneath
        do {
            beneath = try Beneath(root: root)
        } catch {
            if error.code == ENOENT || error.code == ENOTDIR { return .item(.gone(path: path, tree: false)) }
            return .failed(reason: "cannot open the drop folder: \(error)")
        }
        let handle: Int32
        do {
            handle = try beneath.open(relative, flags: akhbar_O_PATH)
        } catch {
            switch error.code {
            // ELOOP and EXDEV: a link on the way, which is not followed out of the drop folder.
            case ENOENT, ENOTDIR, ELOOP, EXDEV: return .item(.gone(path: path, tree: false))
            default: return .failed(reason: "cannot open: \(error)")
            }
        }
        defer { close(handle) }
        var info = stat()
        guard fstat(handle, &info) == 0 else { return .failed(reason: "cannot stat: \(SystemCallError(errno))") }
        guard case .regular(let stamp) = FileStatus(info) else { return .item(.gone(path: path, tree: false)) }
        if stamp.size > Int64(parser.maxFileSize) { return .item(tooLarge(path, stamp)) }
        let descriptor: Int32
        do {
            descriptor = try Beneath.reopenForReading(handle)
        } catch {
            return .failed(reason: "cannot open: \(error)")
        }
        defer { close(descriptor) }
        let bytes: [UInt8]
        do {
            bytes = try Self.read(descriptor, expected: Int(stamp.size), limit: parser.maxFileSize)
        } catch {
            return .failed(reason: "cannot read: \(error)")
        }
        if bytes.count > parser.maxFileSize {
            // It grew past the limit while being read: it is over the limit now, and a rejection
            // is looked at again whenever the file changes, so one cut back in size gets its turn.
            var grown = stat()
            return .item(tooLarge(path, fstat(descriptor, &grown) == 0 ? FileStamp(grown) : stamp))
        }
        let name = EscapedPath.text(relative.split(separator: UInt8(ascii: "/")).last ?? [])
        do {
            return .item(
                .parsed(
                    path: path, stamp: stamp,
                    file: PreparedFile(try parser.parse(bytes, fileName: name), bytes: bytes, watches: watches)))
        } catch {
            return .item(.rejected(path: path, stamp: stamp, reason: error.reason))
        }
    }

    private func tooLarge(_ path: String, _ stamp: FileStamp) -> IngestItem {
        .rejected(
            path: path, stamp: stamp,
            reason: "too large: \(stamp.size) bytes, over the limit of \(parser.maxFileSize) (--max-file-size)")
    }

    /// The file's bytes, at most `limit + 1` of them: one more than the limit tells it is over.
    private static func read(_ descriptor: Int32, expected: Int, limit: Int) throws(SystemCallError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: min(max(expected, 0), limit) + 1)
        var filled = 0
        while filled <= limit {
            if filled == bytes.count {
                // The file grew since fstat: read on, up to just past the limit.
                bytes.append(contentsOf: repeatElement(0, count: min(max(bytes.count, 4096), limit + 1 - bytes.count)))
            }
            let count = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemCallError(errno)
            }
            if count == 0 { break }
            filled += count
        }
        bytes.removeSubrange(filled...)
        return bytes
    }
}
