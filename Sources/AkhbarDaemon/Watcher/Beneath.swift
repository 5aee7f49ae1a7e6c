import CLinuxOpen
import Glibc

/// Opens paths inside the drop folder so that they can never lead out of it.
///
/// Producers control every name below the drop folder: any of them can swap a subfolder for a
/// symbolic link between the moment a file is reported and the moment it is read, and a daemon
/// running as root would then read, store and serve whatever the link points at. `O_NOFOLLOW`
/// guards only the last component, so every component is resolved beneath the folder's own
/// descriptor, refusing links (and `..`) anywhere on the way.
struct Beneath: ~Copyable {
    /// The drop folder itself, opened with `O_PATH`; the configured path may be a link, the
    /// operator's choice, but nothing under it is followed.
    let root: Int32

    /// Opens the drop folder at `path`, as configured: its own name is never escaped, only the
    /// names found beneath it are.
    init(root path: String) throws(SystemCallError) {
        let descriptor = Glibc.open(path, akhbar_O_PATH | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemCallError(errno) }
        root = descriptor
    }

    deinit {
        close(root)
    }

    /// Opens `relative` (raw bytes, no leading slash) beneath the drop folder. `flags` gain
    /// `O_NOFOLLOW | O_CLOEXEC`; with `O_PATH` a trailing link is opened as the link itself.
    /// A link or `..` on the way fails (`ELOOP`, `EXDEV`, or `ENOTDIR` when done by hand).
    func open(_ relative: [UInt8], flags: Int32) throws(SystemCallError) -> Int32 {
        let flags = flags | O_NOFOLLOW | O_CLOEXEC
        if relative.isEmpty {
            let descriptor = openat(root, ".", flags)
            guard descriptor >= 0 else { throw SystemCallError(errno) }
            return descriptor
        }
        let resolve = UInt64(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)
        let descriptor = akhbar_openat2(root, relative.cString, UInt64(UInt32(bitPattern: flags)), resolve)
        if descriptor >= 0 { return descriptor }
        let code = errno
        // Kernels before 5.6, or sandboxes that filter the call, refuse it outright; a path past
        // PATH_MAX (folders nested hundreds deep) is fine one component at a time.
        guard code == ENOSYS || code == EPERM || code == ENAMETOOLONG else { throw SystemCallError(code) }
        return try openComponentByComponent(relative, flags: flags)
    }

    /// The same walk by hand: each folder on the way opened relative to the previous one with
    /// `O_NOFOLLOW | O_DIRECTORY`, so a link anywhere fails instead of being followed.
    private func openComponentByComponent(_ relative: [UInt8], flags: Int32) throws(SystemCallError) -> Int32 {
        let components = relative.split(separator: UInt8(ascii: "/")).filter { $0 != [UInt8(ascii: ".")] }
        if components.contains(where: { $0.elementsEqual("..".utf8) }) { throw SystemCallError(EXDEV) }
        guard let last = components.last else { throw SystemCallError(ENOENT) }
        var folder = dup(root)
        guard folder >= 0 else { throw SystemCallError(errno) }
        defer { close(folder) }
        for component in components.dropLast() {
            let next = openat(folder, Array(component).cString, akhbar_O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else { throw SystemCallError(errno) }
            close(folder)
            folder = next
        }
        let descriptor = openat(folder, Array(last).cString, flags)
        guard descriptor >= 0 else { throw SystemCallError(errno) }
        return descriptor
    }

    /// The raw bytes of `path` relative to `root` (both text forms), or nil when `path` is not
    /// inside `root`; empty for `root` itself.
    static func relative(_ path: String, to root: String) -> [UInt8]? {
        if path.utf8.elementsEqual(root.utf8) { return [] }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        guard path.utf8.starts(with: prefix.utf8) else { return nil }
        return EscapedPath.bytes(utf8: path.utf8.dropFirst(prefix.utf8.count))
    }

    /// Opens for reading the regular file an `O_PATH` descriptor refers to, the very inode that
    /// was checked rather than whatever its name leads to by now.
    static func reopenForReading(_ pathDescriptor: Int32) throws(SystemCallError) -> Int32 {
        let descriptor = Glibc.open("/proc/self/fd/\(pathDescriptor)", O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemCallError(errno) }
        return descriptor
    }
}

/// A failed system call's `errno`.
struct SystemCallError: Error, Equatable, CustomStringConvertible {
    var code: Int32

    init(_ code: Int32) {
        self.code = code
    }

    var description: String { String(cString: strerror(code)) }
}

extension Array where Element == UInt8 {
    /// The bytes with a terminating NUL, for system calls.
    var cString: [CChar] { map { CChar(bitPattern: $0) } + [0] }
}
