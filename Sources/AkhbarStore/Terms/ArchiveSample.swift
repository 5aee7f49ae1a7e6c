import Synchronization

/// An even sample of the archive, counted: what ``ArticleStore/terms(_:)`` takes the archive's use
/// of a word or phrase to be until it counts the few it lists exactly.
///
/// Counting every candidate term in the full-text index cost a lookup each, a few hundred of them
/// per request; the sample answers them all from memory. A word's share of the archive barely moves
/// as it grows, so the sample is counted again only once the archive has grown by a twentieth.
final class ArchiveSample: Sendable {
    /// Articles in the sample.
    static let size = 5_000

    private struct State {
        var tally: TermTally?
        /// The archive's size when the sample was taken.
        var articles: Int64 = 0
    }

    private let state = Mutex(State())

    /// The sample's tally, made by `count` from the ids it is given when none is fresh enough.
    func tally(archive: Int64, count: ([Int64]) async throws -> TermTally) async rethrows -> TermTally {
        let fresh = state.withLock { state -> TermTally? in
            guard let tally = state.tally, archive >= state.articles, archive <= state.articles + state.articles / 20
            else { return nil }
            return tally
        }
        if let fresh { return fresh }
        let ids = (0..<min(Int64(Self.size), archive)).map { 1 + $0 * archive / min(Int64(Self.size), archive) }
        var tally = try await count(ids)
        // Phrases seen once in the sample would be most of its memory and tell little: the archive
        // has them about as rarely as the ones it does not have.
        tally.finishPairs(minimum: 2)
        state.withLock { state in
            state.tally = tally
            state.articles = archive
        }
        return tally
    }
}
