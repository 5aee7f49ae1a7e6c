import AkhbarStore
import Articles
import Glibc

/// Reads and parses one drop file into the item the store applies.
struct DropFileReader: Sendable {
    var parser: DropFileParser

    /// Looks at `path` as it is now: gone, rejected or parsed. Nil when there is nothing to do
    /// (a folder or a special file).
    func read(_ path: String) -> IngestItem? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        if fd < 0 {
            switch errno {
            case ENOENT, ENOTDIR: return .gone(path: path, tree: false)
            case ELOOP: return nil  // symbolic links are not followed out of the drop folder
            default:
                let reason = "cannot open: \(String(cString: strerror(errno)))"
                if case .regular(let stamp) = FileStatus(path: path) { return .rejected(path: path, stamp: stamp, reason: reason) }
                return nil
            }
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, case .regular(let stamp) = FileStatus(info) else { return nil }
        if stamp.size > Int64(parser.maxFileSize) {
            return .rejected(
                path: path, stamp: stamp,
                reason: "too large: \(stamp.size) bytes, over the limit of \(parser.maxFileSize) (--max-file-size)")
        }
        guard let bytes = Self.readAll(fd, expected: Int(stamp.size), limit: parser.maxFileSize) else {
            return .rejected(path: path, stamp: stamp, reason: "cannot read: \(String(cString: strerror(errno)))")
        }
        let name = String(path.split(separator: "/").last ?? "")
        do {
            return .parsed(path: path, stamp: stamp, file: PreparedFile(try parser.parse(bytes, fileName: name)))
        } catch {
            return .rejected(path: path, stamp: stamp, reason: error.reason)
        }
    }

    private static func readAll(_ fd: Int32, expected: Int, limit: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: max(expected, 0) + 1)
        var filled = 0
        while true {
            if filled == bytes.count {
                // The file grew since fstat; read on, within the size limit.
                guard bytes.count <= limit else { break }
                bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 4096)))
            }
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            filled += n
        }
        bytes.removeSubrange(filled...)
        return bytes
    }
}
