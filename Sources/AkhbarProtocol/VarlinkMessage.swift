/// A Varlink method call, as sent by a client: `{"method": …, "parameters": {…}, "more": true}`.
public struct VarlinkCall<Parameters: Codable & Sendable>: Codable, Sendable {
    /// Fully qualified method name, e.g. `io.akhbar.Articles.Search`.
    public var method: String
    public var parameters: Parameters?
    /// The caller wants no reply.
    public var oneway: Bool?
    /// The caller accepts several replies, the last one without `continues`.
    public var more: Bool?
    public var upgrade: Bool?

    public init(method: String, parameters: Parameters?, oneway: Bool? = nil, more: Bool? = nil) {
        self.method = method
        self.parameters = parameters
        self.oneway = oneway
        self.more = more
    }
}

/// A Varlink reply: parameters, or an error name with its parameters.
public struct VarlinkReply<Parameters: Codable & Sendable>: Codable, Sendable {
    public var parameters: Parameters?
    /// More replies follow this one.
    public var continues: Bool?
    /// Fully qualified error name, e.g. `io.akhbar.Articles.ArticleNotFound`.
    public var error: String?

    public init(parameters: Parameters?, continues: Bool? = nil, error: String? = nil) {
        self.parameters = parameters
        self.continues = continues
        self.error = error
    }
}

/// Parameters for calls and replies that carry none.
public struct NoParameters: Codable, Sendable, Hashable {
    public init() {}
}

/// Varlink messages are JSON objects each terminated by a NUL byte.
public enum VarlinkFraming {
    public static let terminator: UInt8 = 0
    /// A message longer than this is refused and its connection closed.
    public static let maxMessageSize = 1 << 20
}
