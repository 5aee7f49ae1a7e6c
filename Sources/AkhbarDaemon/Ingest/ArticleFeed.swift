import AkhbarProtocol
import Synchronization

/// Fans newly committed articles out to every `Subscribe` call.
final class ArticleFeed: Sendable {
    /// How many articles a subscriber may fall behind before it is cut off and told so: enough for
    /// any reader that keeps up with a bulk ingest, small enough (a few MiB) not to grow the daemon.
    static let backlog = 10_000

    /// One subscriber's articles, in commit order, until it falls ``ArticleFeed/backlog`` behind:
    /// then the stream ends after what it buffered, and ``missed`` says how many were not sent.
    final class Subscription: Sendable {
        let articles: AsyncStream<Summary>
        fileprivate let continuation: AsyncStream<Summary>.Continuation
        private let lost = Mutex(0)

        fileprivate init() {
            (articles, continuation) = AsyncStream.makeStream(
                of: Summary.self, bufferingPolicy: .bufferingOldest(ArticleFeed.backlog))
        }

        /// How many articles this subscriber was not sent since it fell behind; 0 if it never did.
        var missed: Int { lost.withLock { $0 } }

        fileprivate func deliver(_ summaries: [Summary]) {
            if lost.withLock({ $0 }) > 0 {
                lost.withLock { $0 += summaries.count }
                return
            }
            for (index, summary) in summaries.enumerated() {
                // Dropping the newest, not the oldest, keeps what was sent a gapless prefix: the
                // subscriber can then resume after the last article it got.
                if case .dropped = continuation.yield(summary) {
                    lost.withLock { $0 += summaries.count - index }
                    continuation.finish()
                    return
                }
            }
        }
    }

    private let subscribers = Mutex<[ObjectIdentifier: Subscription]>([:])
    /// Watch matches committed, for `FollowWatches`.
    let matches = MatchFeed()

    /// Articles committed from now on, until ``unsubscribe(_:)``.
    func subscribe() -> Subscription {
        let subscription = Subscription()
        subscribers.withLock { $0[ObjectIdentifier(subscription)] = subscription }
        return subscription
    }

    /// Stops delivering to `subscription`, which then stops counting what it missed.
    func unsubscribe(_ subscription: Subscription) {
        _ = subscribers.withLock { $0.removeValue(forKey: ObjectIdentifier(subscription)) }
        subscription.continuation.finish()
    }

    /// Whether anyone is listening: the writer then skips looking up what it just committed.
    var hasSubscribers: Bool { subscribers.withLock { !$0.isEmpty } }

    func publish(_ summaries: [Summary]) {
        guard !summaries.isEmpty else { return }
        let targets = subscribers.withLock { Array($0.values) }
        for target in targets { target.deliver(summaries) }
    }

    func finish() {
        let targets = subscribers.withLock { Array($0.values) }
        for target in targets { target.continuation.finish() }
        matches.finish()
    }
}
