import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// The process at the other end of a connected `AF_UNIX` socket, as the kernel recorded it when
/// the connection was made (`SO_PEERCRED`, see unix(7)).
///
/// The client cannot forge these, which is why the daemon uses them to decide who may call methods
/// that change state.
public struct PeerCredentials: Sendable, Hashable {
    public var pid: pid_t
    public var uid: uid_t
    public var gid: gid_t

    public init(pid: pid_t, uid: uid_t, gid: gid_t) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    /// The `SO_PEERCRED` option value (`struct ucred`), for reading the option through an API that
    /// owns the descriptor, e.g. SwiftNIO's `SocketOptionProvider.unsafeGetSocketOption`.
    public typealias Raw = csystemd_ucred

    /// Credentials from a raw `SO_PEERCRED` value.
    public init(raw: Raw) {
        self.init(pid: raw.pid, uid: raw.uid, gid: raw.gid)
    }

    /// Reads the credentials of the peer connected to `socket`.
    public init(socket: Int32) throws(SystemdError) {
        var raw = Raw()
        var length = socklen_t(MemoryLayout<Raw>.size)
        guard getsockopt(socket, SOL_SOCKET, SO_PEERCRED, &raw, &length) == 0 else {
            throw SystemdError(operation: "getsockopt(SO_PEERCRED)", code: Glibc.errno)
        }
        self.init(raw: raw)
    }

    /// Whether the peer is root or runs as `user`, e.g. the daemon's own `geteuid()`.
    public func isRoot(orUser user: uid_t) -> Bool {
        uid == 0 || uid == user
    }
}
