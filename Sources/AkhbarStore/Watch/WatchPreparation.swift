import ArabicText
import Articles

/// What a parsing worker needs to check its articles against the watches before the writer gets
/// them: the analysis that yields their index terms, and the watches as they are now.
public struct WatchPreparation: Sendable {
    let analyzer: ArabicAnalyzer
    let watches: WatchIndex.Snapshot

    /// The watches whose text condition the article satisfies, with the generation of watches they
    /// were checked against.
    func check(_ analysis: ArticleAnalysis) -> ArticleWatchCheck {
        ArticleWatchCheck(
            generation: watches.generation,
            candidates: watches.candidates(for: ArticleTerms(analysis, vocabulary: watches.vocabulary)))
    }
}

/// One article checked against the watches in a parsing worker.
struct ArticleWatchCheck: Sendable {
    var generation: Int
    /// The slots (in the snapshot of `generation`) of the watches whose words the article has; their
    /// dates and places are checked once it is stored.
    var candidates: [Int32]
}
