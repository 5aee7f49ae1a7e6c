import Synchronization

/// How many articles of the archive have a term, as ``ArticleStore/terms(_:)`` counted them,
/// remembered between requests.
///
/// Counting a common word in a large archive reads its whole posting list, a few milliseconds
/// each, and the terms that stand out in one request (a country, a ministry) stand out in the next
/// one too. As with search's phrase counts, a count is kept until the archive has grown by a
/// hundredth, and at most ``capacity`` of them.
final class ArchiveCounts: Sendable {
    static let capacity = 20_000

    private struct State {
        var counts: [String: Int] = [:]
        /// The archive's size when the counts were taken.
        var articles: Int64 = 0
    }

    private let state = Mutex(State())

    /// The known counts of `expressions` (nil where not known) for an archive of `articles`.
    func counts(of expressions: [String], archive articles: Int64) -> [Int?] {
        state.withLock { state in
            if articles > state.articles + state.articles / 100 || articles < state.articles
                || state.counts.count > Self.capacity
            {
                state = State(counts: [:], articles: articles)
            }
            return expressions.map { state.counts[$0] }
        }
    }

    func remember(_ counts: [String: Int]) {
        state.withLock { $0.counts.merge(counts) { _, new in new } }
    }
}
