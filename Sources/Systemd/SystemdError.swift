#if canImport(Glibc)
import Glibc
#endif

/// A libsystemd or socket call that failed, with the errno it reported.
public struct SystemdError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The call that failed, e.g. `"sd_listen_fds"`.
    public var operation: String
    /// The positive errno value.
    public var code: Int32

    public init(operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    public var description: String {
        "\(operation): \(String(cString: strerror(code)))"
    }
}
