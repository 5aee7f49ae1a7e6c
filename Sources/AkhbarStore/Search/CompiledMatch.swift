/// An FTS5 MATCH expression with the phrases it holds, in the order FTS5 numbers them.
struct CompiledMatch: Sendable, Hashable {
    var expression: String
    var phrases: [MatchPhrase]
    /// Ranking clauses: one per query word, phrase or proximity member.
    var clauseCount: Int
    /// About how many articles it may match, from its phrases' counts (nil without counts).
    var expectedMatches: Int64?
    /// Whether an article may miss one of the words.
    var isRelaxed: Bool
}
