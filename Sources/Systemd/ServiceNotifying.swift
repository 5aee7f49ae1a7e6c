/// Tells the service manager about the daemon's state.
///
/// The daemon talks to this protocol rather than to ``SystemdNotifier`` so that its tests can
/// record the messages instead of needing a service manager. Only ``send(_:)`` and
/// ``watchdogInterval`` are requirements; the named states are built on them.
public protocol ServiceNotifying: Sendable {
    /// Delivers one datagram.
    @discardableResult
    func send(_ message: NotifyMessage) -> NotifyOutcome

    /// How often to send ``watchdog()``: half of the service's `WatchdogSec=`, or `nil` when the
    /// watchdog is off.
    var watchdogInterval: Duration? { get }
}

extension ServiceNotifying {
    /// `READY=1`, with the status text in the same datagram when given.
    @discardableResult
    public func ready(status text: String? = nil) -> NotifyOutcome {
        send(text.map { NotifyMessage.ready.combined(with: .status($0)) } ?? .ready)
    }

    /// `STATUS=text`.
    @discardableResult
    public func status(_ text: String) -> NotifyOutcome {
        send(.status(text))
    }

    /// `STOPPING=1`.
    @discardableResult
    public func stopping() -> NotifyOutcome {
        send(.stopping)
    }

    /// `RELOADING=1` with the current `MONOTONIC_USEC=`. Send ``ready(status:)`` when done.
    @discardableResult
    public func reloading() -> NotifyOutcome {
        send(.reloading())
    }

    /// `EXTEND_TIMEOUT_USEC=`, e.g. repeatedly during a long first reconcile.
    @discardableResult
    public func extendTimeout(seconds: Int) -> NotifyOutcome {
        send(.extendTimeout(seconds: seconds))
    }

    /// `ERRNO=code`, before exiting on a fatal error.
    @discardableResult
    public func errno(_ code: Int32) -> NotifyOutcome {
        send(.errno(code))
    }

    /// `WATCHDOG=1`. Send it only after checking that the daemon's work is progressing, so a wedged
    /// daemon stops pinging and gets restarted.
    @discardableResult
    public func watchdog() -> NotifyOutcome {
        send(.watchdog)
    }
}
