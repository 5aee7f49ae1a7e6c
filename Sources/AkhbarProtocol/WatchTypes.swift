/// A saved search: every article committed after it was added that its query matches is recorded
/// as a match, numbered by a cursor.
public struct WatchInfo: Codable, Sendable, Hashable {
    /// Letters, digits, `-`, `_` and `.`; unique.
    public var name: String
    /// The query, in the search syntax.
    public var query: String
    public var note: String?
    /// When it was added, ISO 8601.
    public var created: String
    /// Stories matched: near-duplicates of an earlier match are not counted.
    public var matches: Int
    /// When it last matched an article, ISO 8601.
    public var lastMatch: String?

    public init(name: String, query: String, note: String?, created: String, matches: Int, lastMatch: String?) {
        self.name = name
        self.query = query
        self.note = note
        self.created = created
        self.matches = matches
        self.lastMatch = lastMatch
    }

    /// Longest watch name accepted, in characters.
    public static let maximumNameLength = 64
    /// Longest note accepted, in characters.
    public static let maximumNoteLength = 1000
    /// Most watches one store holds.
    public static let maximumCount = 100_000

    /// Why `name` cannot name a watch, or nil when it can. Names are typed on command lines and
    /// listed with commas, so they hold no spaces, commas or quotes.
    public static func problem(withName name: String) -> String? {
        if name.isEmpty { return "a watch needs a name" }
        if name.count > maximumNameLength {
            return "a watch name has at most \(maximumNameLength) characters"
        }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                || "-_.".unicodeScalars.contains(scalar)
        }
        if !allowed { return "a watch name holds only letters, digits, '-', '_' and '.', not '\(name)'" }
        return nil
    }
}

/// One article a watch matched.
public struct WatchMatch: Codable, Sendable, Hashable {
    /// Its number: matches are numbered in the order they were committed, and a number is never
    /// given twice. Following again after it resumes just past this match.
    public var cursor: Int64
    public var watch: String
    public var article: Summary
    /// The passage of the body that shows why it matched, and where the words are in it.
    public var snippet: String
    public var highlights: [Highlight]
    /// True when the watch had already matched a near-duplicate of this article (the same story).
    public var copy: Bool?
    /// When it matched, ISO 8601; nil for what `TestWatch` finds.
    public var matched: String?

    public init(
        cursor: Int64, watch: String, article: Summary, snippet: String, highlights: [Highlight], copy: Bool?,
        matched: String?
    ) {
        self.cursor = cursor
        self.watch = watch
        self.article = article
        self.snippet = snippet
        self.highlights = highlights
        self.copy = copy
        self.matched = matched
    }
}
