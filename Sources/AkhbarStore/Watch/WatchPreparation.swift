import ArabicText
import Articles

/// What a parsing worker needs to check its articles against the watches before the writer gets
/// them: the analysis that yields their index terms, and the watches as they are now.
public struct WatchPreparation: Sendable {
    let analyzer: ArabicAnalyzer
    let watches: WatchIndex.Snapshot

    /// An article's terms and the watches it may match, with the generation of watches they were
    /// checked against.
    func check(_ article: Article) -> ArticleWatchCheck {
        let terms = ArticleTerms(article, analyzer: analyzer)
        let verdicts = watches.candidates(for: terms)
        // The terms are kept only for the index's check of positions; most articles need none.
        return ArticleWatchCheck(
            terms: verdicts.contains { $0.holds == nil } ? terms : nil, generation: watches.generation,
            verdicts: verdicts)
    }
}

/// One article checked against the watches in a parsing worker.
struct ArticleWatchCheck: Sendable {
    /// The article's terms, when a verdict is left to the index.
    var terms: ArticleTerms?
    var generation: Int
    var verdicts: [WatchIndex.Verdict]
}
