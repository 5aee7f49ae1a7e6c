import AkhbarStore
import Glibc

/// Lists every candidate drop file under a folder, with its stamp, without reading any file and
/// without following links: each folder is opened beneath the drop folder (see ``Beneath``) and
/// its entries are looked at with `fstatat` relative to it, so a folder swapped for a link is
/// neither listed nor watched.
struct DirectoryWalker {
    struct Entry {
        var path: String
        var stamp: FileStamp
    }

    /// Walks `start` (the drop folder `root` itself when nil). Calls `directory` with each folder
    /// (the first included) and a descriptor of it before its files are listed, so a watcher can
    /// add its watch first and miss nothing that lands during the walk. A folder that cannot be
    /// opened for a reason other than being gone or a link (permissions, descriptors) is passed
    /// to `unreadable`, so that the caller can say so. Once `stop` is raised no further folder is
    /// listed.
    static func walk(
        root: String, from start: String? = nil, stop: StopFlag? = nil,
        directory: (String, Int32) -> Void = { _, _ in },
        unreadable: (String, SystemCallError) -> Void, file: (Entry) -> Void
    ) {
        let beneath: Beneath
        do {
            beneath = try Beneath(root: root)
        } catch {
            unreadable(start ?? root, error)
            return
        }
        var pending = [start ?? root]
        while stop?.isRaised != true, let folder = pending.popLast() {
            guard let relative = Beneath.relative(folder, to: root) else { continue }
            let descriptor: Int32
            do {
                descriptor = try beneath.open(relative, flags: O_RDONLY | O_DIRECTORY)
            } catch {
                if ![ENOENT, ENOTDIR, ELOOP, EXDEV].contains(error.code) { unreadable(folder, error) }
                continue
            }
            directory(folder, descriptor)
            guard let handle = fdopendir(descriptor) else {
                close(descriptor)
                continue
            }
            defer { closedir(handle) }
            let prefix = folder.hasSuffix("/") ? folder : folder + "/"
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix(while: { $0 != 0 })) }
                if name == [UInt8(ascii: ".")] || name == Array("..".utf8) { continue }
                let text = EscapedPath.text(name)
                if DropNames.isIgnored(text[...]) { continue }
                var info = stat()
                guard fstatat(dirfd(handle), name.cString, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                switch FileStatus(info) {
                case .regular(let stamp): file(Entry(path: prefix + text, stamp: stamp))
                case .directory: pending.append(prefix + text)
                case .other: continue
                }
            }
        }
    }
}
