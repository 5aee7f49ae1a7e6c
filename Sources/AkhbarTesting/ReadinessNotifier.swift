import Synchronization
import Systemd

/// What a daemon run in-process tells its service manager, kept for the test: `READY=1` ends
/// ``ready()``'s wait, as it ends systemd's for a `Type=notify` service.
final class ReadinessNotifier: ServiceNotifying {
    private struct State {
        /// Whether the daemon said READY (true) or ended without saying it (false); nil meanwhile.
        var outcome: Bool?
        var waiters: [CheckedContinuation<Bool, Never>] = []
        var hasEnded = false
    }

    private let state = Mutex(State())

    var watchdogInterval: Duration? { nil }

    @discardableResult
    func send(_ message: NotifyMessage) -> NotifyOutcome {
        if message.assignments.contains("READY=1") { settle(true) }
        return .sent
    }

    /// The daemon has returned: a wait for READY ends.
    func ended() {
        state.withLock { $0.hasEnded = true }
        settle(false)
    }

    /// Whether the daemon has returned.
    var hasEnded: Bool { state.withLock { $0.hasEnded } }

    /// Whether the daemon said READY, once it has or has ended.
    func ready() async -> Bool {
        await withCheckedContinuation { continuation in
            let known = state.withLock { state -> Bool? in
                if state.outcome == nil { state.waiters.append(continuation) }
                return state.outcome
            }
            if let known { continuation.resume(returning: known) }
        }
    }

    private func settle(_ outcome: Bool) {
        let waiters = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            if state.outcome == nil { state.outcome = outcome }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: outcome) }
    }
}
