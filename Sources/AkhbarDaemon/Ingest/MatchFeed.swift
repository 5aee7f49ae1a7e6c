import Synchronization

/// Tells every follower of watches that matches up to a new cursor were committed.
///
/// It carries only the newest cursor, never the matches: a follower reads them from the store, so a
/// slow one falls behind in the store rather than in the daemon's memory, and what it is sent is
/// always what was committed.
final class MatchFeed: Sendable {
    /// One follower's wake-ups: the newest cursor committed since it last looked.
    final class Subscription: Sendable {
        let cursors: AsyncStream<Int64>
        fileprivate let continuation: AsyncStream<Int64>.Continuation

        fileprivate init() {
            (cursors, continuation) = AsyncStream.makeStream(of: Int64.self, bufferingPolicy: .bufferingNewest(1))
        }
    }

    private let subscribers = Mutex<[ObjectIdentifier: Subscription]>([:])

    func subscribe() -> Subscription {
        let subscription = Subscription()
        subscribers.withLock { $0[ObjectIdentifier(subscription)] = subscription }
        return subscription
    }

    func unsubscribe(_ subscription: Subscription) {
        _ = subscribers.withLock { $0.removeValue(forKey: ObjectIdentifier(subscription)) }
        subscription.continuation.finish()
    }

    func publish(_ cursor: Int64) {
        for target in subscribers.withLock({ Array($0.values) }) { target.continuation.yield(cursor) }
    }

    func finish() {
        for target in subscribers.withLock({ Array($0.values) }) { target.continuation.finish() }
    }
}
