#if canImport(Glibc)
import Glibc
#endif

/// One `sd_notify` datagram: newline-separated `KEY=value` assignments (see sd_notify(3)).
///
/// Building messages is pure so that they can be checked without a service manager; combine
/// several with ``combined(with:)`` to send them atomically in one datagram.
public struct NotifyMessage: Sendable, Hashable, CustomStringConvertible {
    /// The `KEY=value` assignments, in sending order.
    public private(set) var assignments: [String]

    /// A message from raw `KEY=value` assignments.
    public init(assignments: [String]) {
        self.assignments = assignments
    }

    /// The datagram's text.
    public var description: String { assignments.joined(separator: "\n") }

    /// This message followed by `other`'s assignments.
    public func combined(with other: NotifyMessage) -> NotifyMessage {
        NotifyMessage(assignments: assignments + other.assignments)
    }

    /// `READY=1`: start-up or a reload is finished.
    public static let ready = NotifyMessage(assignments: ["READY=1"])

    /// `STOPPING=1`: shutting down.
    public static let stopping = NotifyMessage(assignments: ["STOPPING=1"])

    /// `WATCHDOG=1`: the keep-alive ping.
    public static let watchdog = NotifyMessage(assignments: ["WATCHDOG=1"])

    /// `STATUS=text`, shown as `StatusText` by `systemctl show` and in `systemctl status`.
    public static func status(_ text: String) -> NotifyMessage {
        // A newline would end the assignment and turn the rest into a bogus one.
        let line = text.map { $0.isNewline ? " " : String($0) }.joined()
        return NotifyMessage(assignments: ["STATUS=" + line])
    }

    /// `RELOADING=1` with `MONOTONIC_USEC=`; systemd 252 keeps `systemctl reload` waiting
    /// without the timestamp.
    public static func reloading(monotonicMicroseconds: UInt64 = NotifyMessage.monotonicNow()) -> NotifyMessage {
        NotifyMessage(assignments: ["RELOADING=1", "MONOTONIC_USEC=\(monotonicMicroseconds)"])
    }

    /// `EXTEND_TIMEOUT_USEC=`: asks for `seconds` more before the start, reload or stop times out.
    public static func extendTimeout(seconds: Int) -> NotifyMessage {
        NotifyMessage(assignments: ["EXTEND_TIMEOUT_USEC=\(UInt64(max(seconds, 0)) * 1_000_000)"])
    }

    /// `ERRNO=`: the errno the daemon failed with, shown by `systemctl status`.
    public static func errno(_ code: Int32) -> NotifyMessage {
        NotifyMessage(assignments: ["ERRNO=\(code)"])
    }

    /// `CLOCK_MONOTONIC` in microseconds, the clock systemd compares `MONOTONIC_USEC=` against.
    public static func monotonicNow() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}
