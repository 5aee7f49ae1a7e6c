/// What became of a notification.
public enum NotifyOutcome: Sendable, Hashable {
    /// The service manager received it.
    case sent
    /// `NOTIFY_SOCKET` is not set: the process does not run under a service manager that listens.
    case notUnderSystemd
    /// Sending failed with this errno.
    case failed(SystemdError)
}
