import AkhbarStore
import Glibc

/// What `lstat` says about a path, reduced to what the watcher needs.
enum FileStatus {
    case regular(FileStamp)
    case directory
    case other
    case missing

    init(path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            self = .missing
            return
        }
        self.init(info)
    }

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
