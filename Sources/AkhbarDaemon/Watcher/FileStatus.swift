import AkhbarStore
import Glibc

/// What `stat` says about a file, reduced to what the watcher needs.
enum FileStatus {
    case regular(FileStamp)
    case directory
    /// Links, FIFOs, sockets and device nodes: never opened for reading.
    case other

    init(_ info: stat) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: self = .regular(FileStamp(info))
        case S_IFDIR: self = .directory
        default: self = .other
        }
    }
}

extension FileStamp {
    init(_ info: stat) {
        self.init(
            inode: UInt64(info.st_ino), size: Int64(info.st_size),
            mtime: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }
}
