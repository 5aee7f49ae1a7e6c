import Glibc

/// A Unix socket bound at `path`, for tests that play the part of systemd or of a crashed daemon:
/// a stream socket unless `type` says otherwise (SOCK_DGRAM for a notify socket); `flags` go to
/// socket(2) (say SOCK_CLOEXEC). The caller closes it.
func boundUnixSocket(at path: String, type: __socket_type = SOCK_STREAM, flags: Int32 = 0) throws -> Int32 {
    let descriptor = socket(AF_UNIX, Int32(type.rawValue) | flags, 0)
    guard descriptor >= 0 else { throw Failure("socket: errno \(errno)") }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
    }
    guard bound == 0 else {
        let code = errno
        close(descriptor)
        throw Failure("cannot bind \(path): errno \(code)")
    }
    return descriptor
}
