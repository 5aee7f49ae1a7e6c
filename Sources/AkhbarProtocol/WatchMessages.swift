// Parameters and replies of the watch methods of io.akhbar.Articles.

public struct AddWatchParameters: Codable, Sendable, Hashable {
    public var name: String
    public var query: String
    public var note: String?

    public init(name: String, query: String, note: String? = nil) {
        self.name = name
        self.query = query
        self.note = note
    }
}

public struct WatchReply: Codable, Sendable, Hashable {
    public var watch: WatchInfo
    public init(watch: WatchInfo) { self.watch = watch }
}

/// The parameters of `RemoveWatch`.
public struct WatchNameParameters: Codable, Sendable, Hashable {
    public var name: String
    public init(name: String) { self.name = name }
}

public struct ListWatchesReply: Codable, Sendable, Hashable {
    public var watches: [WatchInfo]
    public init(watches: [WatchInfo]) { self.watches = watches }
}

public struct WatchMatchesParameters: Codable, Sendable, Hashable {
    /// How many matches `WatchMatches` and `TestWatch` may list.
    public static let limits = 1...1000
    /// How many of the latest articles `TestWatch` may look at.
    public static let latestLimits = 1...1_000_000

    public var name: String
    public var limit: Int?
    /// Also list articles whose story the watch had already matched.
    public var allCopies: Bool?

    public init(name: String, limit: Int? = nil, allCopies: Bool? = nil) {
        self.name = name
        self.limit = limit
        self.allCopies = allCopies
    }

    public func validated() throws(VarlinkError) -> WatchMatchesParameters {
        try VarlinkError.require(limit, within: Self.limits, name: "limit")
        return self
    }
}

public struct WatchMatchesReply: Codable, Sendable, Hashable {
    public var matches: [WatchMatch]
    public init(matches: [WatchMatch]) { self.matches = matches }
}

public struct TestWatchParameters: Codable, Sendable, Hashable {
    public var query: String
    /// How many of the latest articles to look at (default 1000).
    public var latest: Int?
    public var limit: Int?

    public init(query: String, latest: Int? = nil, limit: Int? = nil) {
        self.query = query
        self.latest = latest
        self.limit = limit
    }

    public func validated() throws(VarlinkError) -> TestWatchParameters {
        try VarlinkError.require(latest, within: WatchMatchesParameters.latestLimits, name: "latest")
        try VarlinkError.require(limit, within: WatchMatchesParameters.limits, name: "limit")
        return self
    }
}

public struct FollowWatchesParameters: Codable, Sendable, Hashable {
    /// The watches to follow; nil or empty for all of them.
    public var watches: [String]?
    /// Replay the matches with a higher cursor first.
    public var after: Int64?
    /// A named consumer: without `after`, start just past the cursor it last acknowledged.
    public var consumer: String?
    /// Also deliver articles whose story the watch had already matched.
    public var allCopies: Bool?

    public init(watches: [String]? = nil, after: Int64? = nil, consumer: String? = nil, allCopies: Bool? = nil) {
        self.watches = watches
        self.after = after
        self.consumer = consumer
        self.allCopies = allCopies
    }

    public func validated() throws(VarlinkError) -> FollowWatchesParameters {
        if let after, after < 0 { throw .invalidParameter("after") }
        if let consumer, WatchInfo.problem(withName: consumer) != nil { throw .invalidParameter("consumer") }
        return self
    }
}

public struct FollowWatchesReply: Codable, Sendable, Hashable {
    public var match: WatchMatch
    public init(match: WatchMatch) { self.match = match }
}

public struct AcknowledgeParameters: Codable, Sendable, Hashable {
    public var consumer: String
    public var cursor: Int64

    public init(consumer: String, cursor: Int64) {
        self.consumer = consumer
        self.cursor = cursor
    }

    public func validated() throws(VarlinkError) -> AcknowledgeParameters {
        if WatchInfo.problem(withName: consumer) != nil { throw .invalidParameter("consumer") }
        if cursor < 0 { throw .invalidParameter("cursor") }
        return self
    }
}

/// The reply of `RemoveWatch` and `Acknowledge`.
public struct EmptyReply: Codable, Sendable, Hashable {
    public init() {}
}
