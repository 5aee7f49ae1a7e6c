import AkhbarProtocol
import Synchronization

/// Fans newly committed articles out to every `Subscribe` call.
final class ArticleFeed: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<Summary>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)

    /// A stream of articles committed from now on. A subscriber that stops reading loses the
    /// oldest entries rather than growing the daemon's memory.
    func subscribe() -> AsyncStream<Summary> {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream.makeStream(of: Summary.self, bufferingPolicy: .bufferingNewest(10_000))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    /// Whether anyone is listening: the writer then skips looking up what it just committed.
    var hasSubscribers: Bool { subscribers.withLock { !$0.isEmpty } }

    func publish(_ summaries: [Summary]) {
        guard !summaries.isEmpty else { return }
        let targets = subscribers.withLock { Array($0.values) }
        for target in targets {
            for summary in summaries { target.yield(summary) }
        }
    }

    func finish() {
        let targets = subscribers.withLock { Array($0.values) }
        for target in targets { target.finish() }
    }
}
