import AkhbarTesting
import Glibc

/// A Unix socket bound at `path`, for tests that play the part of systemd or of a crashed daemon:
/// a stream socket unless `type` says otherwise (SOCK_DGRAM for a notify socket); `flags` go to
/// socket(2) (say SOCK_CLOEXEC). The caller closes it.
func boundUnixSocket(at path: String, type: __socket_type = SOCK_STREAM, flags: Int32 = 0) throws -> Int32 {
    let descriptor = socket(AF_UNIX, Int32(type.rawValue) | flags, 0)
    guard descriptor >= 0 else { throw Failure("socket: errno \(errno)") }
    let bound = withUnixSocketAddress(path) { bind(descriptor, $0, $1) }
    guard bound == 0 else {
        let code = errno
        close(descriptor)
        throw Failure("cannot bind \(path): errno \(code)")
    }
    return descriptor
}
