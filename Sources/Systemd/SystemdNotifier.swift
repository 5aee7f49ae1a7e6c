import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// ``ServiceNotifying`` through libsystemd's `sd_notify` (sd_notify(3)).
///
/// Every call is a harmless no-op returning ``NotifyOutcome/notUnderSystemd`` when the process was
/// not started by systemd. The environment is read at each call and never unset, so child processes
/// must be spawned with a cleaned environment if they are not meant to notify.
public struct SystemdNotifier: ServiceNotifying {
    public init() {}

    /// Whether `NOTIFY_SOCKET` is set, i.e. systemd expects notifications (`Type=notify`).
    public var isUnderSystemd: Bool {
        guard let socket = getenv("NOTIFY_SOCKET") else { return false }
        return socket.pointee != 0
    }

    @discardableResult
    public func send(_ message: NotifyMessage) -> NotifyOutcome {
        let result = sd_notify(0, message.description)
        if result > 0 { return .sent }
        if result == 0 { return .notUnderSystemd }
        return .failed(SystemdError(operation: "sd_notify", code: -result))
    }

    /// Half of `WATCHDOG_USEC`, as systemd recommends, when `WatchdogSec=` is set for this process
    /// (`sd_watchdog_enabled` also checks that `WATCHDOG_PID` is ours).
    public var watchdogInterval: Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(microseconds / 2)
    }
}
