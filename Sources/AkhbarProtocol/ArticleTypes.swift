/// Where an article was found, and what that file states of it.
public struct SourceInfo: Codable, Sendable, Hashable {
    public var path: String
    public var position: Int
    public var gone: Bool
    public var firstSeen: String
    /// The file's own outlet, author and date: copies of one text differ there when their line
    /// breaks do.
    public var outlet: String?
    public var author: String?
    public var date: String?
    public var datePrecision: String?
    /// How many bytes the file was dropped with; nil when they were not kept.
    public var size: Int?

    public init(
        path: String, position: Int, gone: Bool, firstSeen: String, outlet: String? = nil, author: String? = nil,
        date: String? = nil, datePrecision: String? = nil, size: Int? = nil
    ) {
        self.path = path
        self.position = position
        self.gone = gone
        self.firstSeen = firstSeen
        self.outlet = outlet
        self.author = author
        self.date = date
        self.datePrecision = datePrecision
        self.size = size
    }
}

/// A span of matched text, in Unicode scalar offsets.
public struct Highlight: Codable, Sendable, Hashable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
}

public struct Hit: Codable, Sendable, Hashable {
    public var id: Int64
    public var title: String
    public var outlet: String?
    public var date: String?
    /// True when the article states no date and `date` is the day it was ingested, which is also
    /// the day `since`/`until` compare.
    public var dateIsIngest: Bool?
    public var path: String?
    public var score: Double
    public var snippet: String
    public var highlights: [Highlight]
    /// Near-duplicates folded into this hit.
    public var duplicates: Int?

    public init(
        id: Int64, title: String, outlet: String?, date: String?, path: String?, score: Double,
        snippet: String, highlights: [Highlight], duplicates: Int? = nil, dateIsIngest: Bool? = nil
    ) {
        self.id = id
        self.title = title
        self.outlet = outlet
        self.date = date
        self.path = path
        self.score = score
        self.snippet = snippet
        self.highlights = highlights
        self.duplicates = duplicates
        self.dateIsIngest = dateIsIngest
    }
}

/// An article in a list: enough to recognize it and fetch it.
public struct Summary: Codable, Sendable, Hashable {
    public var id: Int64
    public var title: String
    public var outlet: String?
    public var date: String?
    public var path: String?
    public var ingested: String

    public init(id: Int64, title: String, outlet: String?, date: String?, path: String?, ingested: String) {
        self.id = id
        self.title = title
        self.outlet = outlet
        self.date = date
        self.path = path
        self.ingested = ingested
    }
}

/// An article in full.
public struct ArticleRecord: Codable, Sendable, Hashable {
    public var id: Int64
    public var title: String
    public var titleDerived: Bool
    public var outlet: String?
    public var section: String?
    public var author: String?
    public var date: String?
    public var datePrecision: String?
    public var place: String?
    public var agency: String?
    public var url: String?
    /// Empty for a headline-only article (see ``headlineOnly``).
    public var body: String
    public var original: String
    public var extraFields: String?
    public var ingested: String
    public var updated: String
    public var sources: [SourceInfo]
    /// The near-duplicate cluster: the id of its first article.
    public var cluster: Int64?
    /// True when the file held a headline and no article text (a cartoon's caption, a news flash):
    /// it is an article all the same, found by its title. Absent otherwise.
    public var headlineOnly: Bool?

    public init(
        id: Int64, title: String, titleDerived: Bool, outlet: String?, section: String?, author: String?,
        date: String?, datePrecision: String?, place: String?, agency: String?, url: String?, body: String,
        original: String, extraFields: String?, ingested: String, updated: String, sources: [SourceInfo],
        cluster: Int64? = nil
    ) {
        self.id = id
        self.title = title
        self.titleDerived = titleDerived
        self.outlet = outlet
        self.section = section
        self.author = author
        self.date = date
        self.datePrecision = datePrecision
        self.place = place
        self.agency = agency
        self.url = url
        self.body = body
        self.original = original
        self.extraFields = extraFields
        self.ingested = ingested
        self.updated = updated
        self.sources = sources
        self.cluster = cluster
        headlineOnly = body.isEmpty ? true : nil
    }
}

public struct RejectionInfo: Codable, Sendable, Hashable {
    public var path: String
    public var position: Int?
    public var reason: String
    public var time: String

    public init(path: String, position: Int?, reason: String, time: String) {
        self.path = path
        self.position = position
        self.reason = reason
        self.time = time
    }
}
