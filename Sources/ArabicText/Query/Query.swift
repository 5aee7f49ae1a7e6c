/// A parsed search: a typed tree of what an article must (or must not) contain, every word already
/// analyzed into the forms the index holds.
///
/// ``QueryParser`` builds it from what a person typed; the store compiles it to FTS5 and SQL, and a
/// watch matches it against one article. Its ``description`` is query text that parses back to the
/// same value.
public struct Query: Sendable, Hashable, CustomStringConvertible {
    /// What the article must satisfy. Date and place conditions appear only as top-level conjuncts
    /// (alone, inside the root `and`, or negated there): they filter whole articles.
    public var root: QueryNode

    public init(root: QueryNode) {
        self.root = root
    }

    /// Parses what the user typed (see ``QueryParser``).
    public init(parsing text: String, analyzer: ArabicAnalyzer) throws(InvalidQuery) {
        self = try QueryParser(analyzer: analyzer).parse(text)
    }

    /// Longest query accepted, in characters: far beyond any real search, short enough to keep the
    /// compiled expression small.
    public static let maximumLength = 1000
    /// Most words and phrases accepted in one query.
    public static let maximumTerms = 64
    /// Deepest nesting of parentheses and operators accepted.
    public static let maximumDepth = 32
    /// The distance of a proximity condition written without one, in words.
    public static let defaultDistance = 10
    /// Largest distance a proximity condition accepts, in words.
    public static let maximumDistance = 1000

    public var description: String { root.description }
}

/// A query Akhbar cannot run, with a reason a person can act on and, when it is a syntax error,
/// where in the query it lies.
public struct InvalidQuery: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    /// The offset in the query, in characters (Unicode scalars) from 0, where the problem is.
    public var position: Int?

    public init(reason: String, position: Int? = nil) {
        self.reason = reason
        self.position = position
    }

    public var description: String {
        guard let position else { return reason }
        return "\(reason) (at character \(position + 1))"
    }
}
