import AkhbarStore
import Glibc

/// Lists every candidate drop file under a folder, with its stamp, without reading any file.
struct DirectoryWalker {
    struct Entry {
        var path: String
        var stamp: FileStamp
    }

    /// Calls `directory` for each folder (the root included) before its files are listed, so a
    /// watcher can add its watch first and miss nothing that lands during the walk.
    static func walk(_ root: String, directory: (String) -> Void = { _ in }, file: (Entry) -> Void) {
        var pending = [root]
        while let folder = pending.popLast() {
            directory(folder)
            guard let handle = opendir(folder) else { continue }
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name == "." || name == ".." || DropNames.isIgnored(name[...]) { continue }
                let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
                switch FileStatus(path: path) {
                case .regular(let stamp): file(Entry(path: path, stamp: stamp))
                case .directory: pending.append(path)
                case .other, .missing: continue
                }
            }
        }
    }
}
