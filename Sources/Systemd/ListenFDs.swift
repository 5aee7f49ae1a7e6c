import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// The sockets systemd passed by socket activation (sd_listen_fds(3)).
///
/// A daemon takes them once at start-up; when there are none it binds its own socket.
public struct ListenFDs: Sendable, Hashable {
    /// The passed descriptors, starting at `SD_LISTEN_FDS_START` (3).
    public var descriptors: [Int32]

    public init(descriptors: [Int32]) {
        self.descriptors = descriptors
    }

    /// Takes the sockets passed to this process and unsets `LISTEN_PID`, `LISTEN_FDS` and
    /// `LISTEN_FDNAMES`, so child processes do not think the sockets are theirs. The descriptors are
    /// marked close-on-exec by libsystemd.
    public static func take() throws(SystemdError) -> ListenFDs {
        let count = sd_listen_fds(1)
        guard count >= 0 else { throw SystemdError(operation: "sd_listen_fds", code: -count) }
        let first = Int32(SD_LISTEN_FDS_START)
        return ListenFDs(descriptors: (0..<count).map { first + $0 })
    }

    /// The first passed descriptor that is a listening `AF_UNIX` stream socket, the kind
    /// `ListenStream=/path` creates, or `nil` when there is none.
    public var unixStreamListener: Int32? {
        descriptors.first { Self.isUnixStreamListener($0) }
    }

    /// Whether `descriptor` is a listening `AF_UNIX` stream socket (sd_is_socket_unix(3)).
    public static func isUnixStreamListener(_ descriptor: Int32) -> Bool {
        sd_is_socket_unix(descriptor, Int32(SOCK_STREAM.rawValue), 1, nil, 0) > 0
    }
}
