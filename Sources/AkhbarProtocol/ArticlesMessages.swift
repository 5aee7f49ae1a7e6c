// Parameters and replies of io.akhbar.Articles, one pair per method.

public struct SearchParameters: Codable, Sendable, Hashable {
    /// How many hits a page may hold.
    public static let limits = 1...1000
    /// How many of the best hits a page may skip: as far as a search engine usually lets anyone page
    /// (deeper pages cost more to rank and are never read).
    public static let offsets = 0...10_000

    public var query: String
    public var limit: Int?
    public var offset: Int?
    public var since: String?
    public var until: String?
    /// Fold near-duplicates into their best hit (the default).
    public var collapse: Bool?
    /// Fill a short page with articles missing one word (the default); false returns only articles
    /// with every word, exactly what a watch with the same query matches.
    public var partial: Bool?

    public init(
        query: String, limit: Int? = nil, offset: Int? = nil, since: String? = nil, until: String? = nil,
        collapse: Bool? = nil, partial: Bool? = nil
    ) {
        self.query = query
        self.limit = limit
        self.offset = offset
        self.since = since
        self.until = until
        self.collapse = collapse
        self.partial = partial
    }
}

extension SearchParameters {
    /// The parameters if every number is within its documented range, else the error naming the first
    /// that is not.
    public func validated() throws(VarlinkError) -> SearchParameters {
        try VarlinkError.require(limit, within: Self.limits, name: "limit")
        try VarlinkError.require(offset, within: Self.offsets, name: "offset")
        return self
    }
}

public struct SearchReply: Codable, Sendable, Hashable {
    public var hits: [Hit]
    public init(hits: [Hit]) { self.hits = hits }
}

public struct GetParameters: Codable, Sendable, Hashable {
    public var id: Int64
    public init(id: Int64) { self.id = id }
}

public struct GetReply: Codable, Sendable, Hashable {
    public var article: ArticleRecord
    public init(article: ArticleRecord) { self.article = article }
}

public struct GetFileParameters: Codable, Sendable, Hashable {
    public var id: Int64
    /// From 1, in the order `Get` lists the article's sources.
    public var source: Int
    public init(id: Int64, source: Int) {
        self.id = id
        self.source = source
    }
}

public struct GetFileReply: Codable, Sendable, Hashable {
    public var source: SourceInfo
    /// The file's bytes as dropped, in base64.
    public var data: String
    public init(source: SourceInfo, data: String) {
        self.source = source
        self.data = data
    }
}

/// The parameters of `Recent` and `Rejections`.
public struct LimitParameters: Codable, Sendable, Hashable {
    /// How many articles `Recent` may list.
    public static let recentLimits = 1...10_000
    /// How many rejections `Rejections` may list.
    public static let rejectionLimits = 1...100_000

    public var limit: Int?
    public init(limit: Int? = nil) { self.limit = limit }

    /// The parameters if `limit` is absent or within `range`, else the error naming it.
    public func validated(within range: ClosedRange<Int>) throws(VarlinkError) -> LimitParameters {
        try VarlinkError.require(limit, within: range, name: "limit")
        return self
    }
}

public struct RecentReply: Codable, Sendable, Hashable {
    public var articles: [Summary]
    public init(articles: [Summary]) { self.articles = articles }
}

public struct StatsReply: Codable, Sendable, Hashable {
    /// A condition that keeps the daemon from doing all of its work (commits failing, the drop
    /// folder gone, a folder unwatched, a reload refused), listed until its cause is gone.
    public struct Problem: Codable, Sendable, Hashable {
        /// What the problem is about, stable while it lasts: `commit`, `drop-folder`, `reload`,
        /// `reconcile`, `query-server`, `unreadable` or `watch:PATH`.
        public var key: String
        public var message: String
        /// When it began, ISO 8601.
        public var since: String

        public init(key: String, message: String, since: String) {
            self.key = key
            self.message = message
            self.since = since
        }
    }

    public var articles: Int
    public var files: Int
    public var rejected: Int
    public var queued: Int
    public var storeBytes: Int
    public var uptimeSeconds: Double
    public var lastIngest: String?
    public var dropFolder: String
    public var store: String
    public var status: String
    /// The current problems, oldest first; nil from a daemon that predates the list.
    public var problems: [Problem]?
    /// How many watches are saved; nil from a daemon that predates watches.
    public var watches: Int?

    public init(
        articles: Int, files: Int, rejected: Int, queued: Int, storeBytes: Int, uptimeSeconds: Double,
        lastIngest: String?, dropFolder: String, store: String, status: String, problems: [Problem]? = nil,
        watches: Int? = nil
    ) {
        self.articles = articles
        self.files = files
        self.rejected = rejected
        self.queued = queued
        self.storeBytes = storeBytes
        self.uptimeSeconds = uptimeSeconds
        self.lastIngest = lastIngest
        self.dropFolder = dropFolder
        self.store = store
        self.status = status
        self.problems = problems
        self.watches = watches
    }
}

public struct RejectionsReply: Codable, Sendable, Hashable {
    public var rejections: [RejectionInfo]
    public init(rejections: [RejectionInfo]) { self.rejections = rejections }
}

public struct SubscribeParameters: Codable, Sendable, Hashable {
    /// An article id: replay every article with a higher id before the new ones. Ids are never reused,
    /// so the last id a subscriber saw resumes it where it stopped.
    public var after: Int64?
    public init(after: Int64? = nil) { self.after = after }

    /// The parameters if `after` is absent or not negative, else the error naming it.
    public func validated() throws(VarlinkError) -> SubscribeParameters {
        if let after, after < 0 { throw .invalidParameter("after") }
        return self
    }
}

/// One reply of `Subscribe`: an article, or (last) the news that the subscriber fell behind.
public struct SubscribeReply: Codable, Sendable, Hashable {
    public var article: Summary?
    /// In the last reply of a subscriber that read too slowly: how many articles it was not sent.
    public var missed: Int?
    /// With `missed`: every article with this id or a lower one was sent (or predates the
    /// subscription); subscribing again with `after` set to it delivers the rest.
    public var resumeAfter: Int64?

    public init(article: Summary) {
        self.article = article
    }

    public init(missed: Int, resumeAfter: Int64) {
        self.missed = missed
        self.resumeAfter = resumeAfter
    }
}

public struct RescanReply: Codable, Sendable, Hashable {
    public var queued: Int
    public init(queued: Int) { self.queued = queued }
}

public struct SimilarReply: Codable, Sendable, Hashable {
    public var articles: [Summary]
    public init(articles: [Summary]) { self.articles = articles }
}

public struct ExportReply: Codable, Sendable, Hashable {
    /// Nil in the final reply.
    public var article: ArticleRecord?
    public init(article: ArticleRecord?) { self.article = article }
}
