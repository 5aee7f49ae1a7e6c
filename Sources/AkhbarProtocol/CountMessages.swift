// Parameters and reply of io.akhbar.Articles.Count.

/// What `Count` groups matching articles by.
public enum CountGrouping: String, Codable, Sendable, CaseIterable {
    case day, week, month, outlet, author, place

    /// Whether buckets are periods of time, returned in order and without holes.
    public var isPeriod: Bool { self == .day || self == .week || self == .month }
}

public struct CountParameters: Codable, Sendable, Hashable {
    /// How many buckets of an outlet, author or place grouping may be listed.
    public static let limits = 1...10_000

    /// A query in the search syntax; empty or absent counts every article.
    public var query: String?
    public var by: CountGrouping
    /// `YYYY-MM-DD`, compared with the day an article counts as published.
    public var since: String?
    public var until: String?
    /// Only articles of this outlet or author (as stored, exactly).
    public var outlet: String?
    public var author: String?
    /// Outlet, author and place groupings: the largest buckets only (default 20); the rest are
    /// summed in `others`.
    public var limit: Int?
    /// Periods by the day the article was ingested instead of its publication date.
    public var byIngest: Bool?

    public init(
        query: String? = nil, by: CountGrouping, since: String? = nil, until: String? = nil, outlet: String? = nil,
        author: String? = nil, limit: Int? = nil, byIngest: Bool? = nil
    ) {
        self.query = query
        self.by = by
        self.since = since
        self.until = until
        self.outlet = outlet
        self.author = author
        self.limit = limit
        self.byIngest = byIngest
    }

    public func validated() throws(VarlinkError) -> CountParameters {
        try VarlinkError.require(limit, within: Self.limits, name: "limit")
        return self
    }
}

/// One group of matching articles.
public struct CountBucket: Codable, Sendable, Hashable {
    /// The period (`2015-07-04`, the Monday `2015-07-20` of a week, `2015-07`), the outlet, author or
    /// place; null for articles without one.
    public var key: String?
    public var articles: Int
    /// Near-duplicate clusters among them, each counted once.
    public var stories: Int

    public init(key: String?, articles: Int, stories: Int) {
        self.key = key
        self.articles = articles
        self.stories = stories
    }
}

public struct CountReply: Codable, Sendable, Hashable {
    public var buckets: [CountBucket]
    /// Every matching article, in a bucket or not.
    public var total: Int
    /// Near-duplicate clusters among all matching articles.
    public var stories: Int
    /// Periods by publication date: matching articles that state no date, in no bucket.
    public var undated: Int
    /// Outlet, author and place: articles in the buckets past the limit.
    public var others: Int

    public init(buckets: [CountBucket], total: Int, stories: Int, undated: Int, others: Int) {
        self.buckets = buckets
        self.total = total
        self.stories = stories
        self.undated = undated
        self.others = others
    }
}
