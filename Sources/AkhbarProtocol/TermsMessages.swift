// Parameters and reply of io.akhbar.Articles.Terms.

public struct TermsParameters: Codable, Sendable, Hashable {
    /// How many terms may be asked for.
    public static let limits = 1...500

    /// A query in the search syntax; may be absent when a filter says which articles to look at.
    public var query: String?
    /// `YYYY-MM-DD`, compared with the day an article counts as published.
    public var since: String?
    public var until: String?
    /// Only articles of this outlet or author (as stored, exactly).
    public var outlet: String?
    public var author: String?
    /// How many terms (default 30).
    public var limit: Int?
    /// Whether two-word phrases are listed beside single words (default true).
    public var phrases: Bool?

    public init(
        query: String? = nil, since: String? = nil, until: String? = nil, outlet: String? = nil,
        author: String? = nil, limit: Int? = nil, phrases: Bool? = nil
    ) {
        self.query = query
        self.since = since
        self.until = until
        self.outlet = outlet
        self.author = author
        self.limit = limit
        self.phrases = phrases
    }

    /// Whether anything narrows the archive down: without a query or a filter every article
    /// matches, and nothing can stand out against the archive itself.
    public var selectsArticles: Bool {
        let hasQuery = query.map { !$0.allSatisfy(\.isWhitespace) } ?? false
        return hasQuery || since != nil || until != nil || outlet != nil || author != nil
    }

    public func validated() throws(VarlinkError) -> TermsParameters {
        try VarlinkError.require(limit, within: Self.limits, name: "limit")
        guard selectsArticles else {
            throw .invalidQuery("give a query or a filter: against the whole archive no word stands out")
        }
        return self
    }
}

/// A word or two-word phrase that the matching articles use more than the archive does.
public struct SignificantTerm: Codable, Sendable, Hashable {
    /// As the matching articles most often write it.
    public var text: String
    /// 1 for a word (its every inflection counted together), 2 for a two-word phrase.
    public var words: Int
    /// Analyzed matching articles that have it.
    public var count: Int
    /// Articles of the whole archive that have it.
    public var archive: Int
    /// Log-likelihood (G²) of the difference between the matching articles and the rest of the
    /// archive; above 10.83 the difference has less than a 0.1 % chance of being luck.
    public var score: Double

    public init(text: String, words: Int, count: Int, archive: Int, score: Double) {
        self.text = text
        self.words = words
        self.count = count
        self.archive = archive
        self.score = score
    }
}

public struct TermsReply: Codable, Sendable, Hashable {
    /// Most significant first.
    public var terms: [SignificantTerm]
    /// Articles that match.
    public var matched: Int
    /// Of those, how many were read: all of them, or an even sample of ``TermsReply/sampleSize``.
    public var analyzed: Int
    /// Articles in the archive.
    public var archive: Int

    /// At most this many matching articles are read; counts are then the sample's.
    public static let sampleSize = 5_000

    public init(terms: [SignificantTerm], matched: Int, analyzed: Int, archive: Int) {
        self.terms = terms
        self.matched = matched
        self.analyzed = analyzed
        self.archive = archive
    }
}
