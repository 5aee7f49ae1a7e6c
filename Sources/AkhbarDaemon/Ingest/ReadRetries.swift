import Foundation
import Synchronization

/// Files that could not be opened or read, waiting to be tried again.
///
/// Such failures (a file written 0600 and fixed a minute later, descriptors used up, an I/O
/// error) say nothing about the content, so they are never recorded as rejections; the file is
/// tried again after a delay that starts at a second and doubles up to a minute, at once when its
/// permissions change, and at the next reconcile, since the store never recorded its stamp.
final class ReadRetries: Sendable {
    /// Files waiting for another try, and the most recent failure.
    struct Summary: Sendable, Equatable {
        /// How many files are waiting to be read again.
        var waiting: Int
        /// The most recent failure still waiting, as "PATH: REASON", or nil when none is.
        var latestError: String?
        /// When the longest-waiting file first failed, or nil when none is waiting.
        var since: Date?
    }

    private struct Waiting {
        var delay: Duration
        var reason: String
        /// When this file first failed, kept across its retries.
        var since: Date
        /// Tells a pending timer whether a later failure has superseded it.
        var attempt: Int
    }

    private struct State {
        var waiting: [String: Waiting] = [:]
        var attempts = 0
    }

    static let firstDelay = Duration.seconds(1)
    static let longestDelay = Duration.seconds(60)

    private let state = Mutex(State())

    /// Records a failure and returns when to try again and which attempt that timer is for.
    func failed(_ path: String, reason: String) -> (delay: Duration, attempt: Int) {
        state.withLock { state in
            state.attempts += 1
            let delay = state.waiting[path].map { min($0.delay * 2, Self.longestDelay) } ?? Self.firstDelay
            let since = state.waiting[path]?.since ?? Date()
            state.waiting[path] = Waiting(delay: delay, reason: reason, since: since, attempt: state.attempts)
            return (delay, state.attempts)
        }
    }

    /// The file was read, or is gone: nothing left to retry.
    func settled(_ path: String) {
        _ = state.withLock { $0.waiting.removeValue(forKey: path) }
    }

    /// Whether `path` is waiting for a retry.
    func isWaiting(_ path: String) -> Bool {
        state.withLock { $0.waiting[path] != nil }
    }

    /// Whether a timer set for `attempt` is still the one to act on.
    func isCurrent(_ path: String, attempt: Int) -> Bool {
        state.withLock { $0.waiting[path]?.attempt == attempt }
    }

    /// Whether `reason` differs from the failure last recorded for `path`, so worth a log line.
    func isNew(_ path: String, reason: String) -> Bool {
        state.withLock { $0.waiting[path]?.reason != reason }
    }

    var summary: Summary {
        state.withLock { state in
            let latest = state.waiting.max { $0.value.attempt < $1.value.attempt }
            return Summary(
                waiting: state.waiting.count, latestError: latest.map { "\($0.key): \($0.value.reason)" },
                since: state.waiting.values.map(\.since).min())
        }
    }
}
