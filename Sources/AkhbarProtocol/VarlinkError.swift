/// An error reply: its Varlink name and parameters, to be sent to or received from a peer.
public struct VarlinkError: Error, Sendable, Hashable, CustomStringConvertible {
    public var name: String
    /// Flat string parameters; every error this project sends fits that shape.
    public var parameters: [String: String]

    public init(_ name: String, _ parameters: [String: String] = [:]) {
        self.name = name
        self.parameters = parameters
    }

    public var description: String {
        if parameters.isEmpty { return name }
        let details = parameters.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        return "\(name) (\(details))"
    }

    // The standard errors of org.varlink.service.
    public static func interfaceNotFound(_ interface: String) -> VarlinkError {
        VarlinkError("org.varlink.service.InterfaceNotFound", ["interface": interface])
    }
    public static func methodNotFound(_ method: String) -> VarlinkError {
        VarlinkError("org.varlink.service.MethodNotFound", ["method": method])
    }
    public static func invalidParameter(_ parameter: String) -> VarlinkError {
        VarlinkError("org.varlink.service.InvalidParameter", ["parameter": parameter])
    }
    /// Throws ``invalidParameter(_:)`` naming `name` when `value` is present and outside `range`.
    public static func require(_ value: Int?, within range: ClosedRange<Int>, name: String) throws(VarlinkError) {
        if let value, !range.contains(value) { throw .invalidParameter(name) }
    }
    public static let permissionDenied = VarlinkError("org.varlink.service.PermissionDenied")
    public static let expectedMore = VarlinkError("org.varlink.service.ExpectedMore")

    // The errors of io.akhbar.Articles.
    public static func articleNotFound(_ id: Int64) -> VarlinkError {
        VarlinkError(ArticlesInterface.name + ".ArticleNotFound", ["id": String(id)])
    }
    public static func sourceNotFound(id: Int64, source: Int, sources: Int) -> VarlinkError {
        VarlinkError(
            ArticlesInterface.name + ".SourceNotFound",
            ["id": String(id), "source": String(source), "sources": String(sources)])
    }
    public static func fileNotKept(id: Int64, source: Int) -> VarlinkError {
        VarlinkError(ArticlesInterface.name + ".FileNotKept", ["id": String(id), "source": String(source)])
    }
    public static func invalidQuery(_ reason: String) -> VarlinkError {
        VarlinkError(ArticlesInterface.name + ".InvalidQuery", ["reason": reason])
    }
    public static func invalidMessage(_ reason: String) -> VarlinkError {
        VarlinkError(ArticlesInterface.name + ".InvalidMessage", ["reason": reason])
    }
    /// The daemon serves as many connections as it may; this one is closed after the reply.
    public static let tooManyConnections = VarlinkError(ArticlesInterface.name + ".TooManyConnections")
    public static func watchNotFound(_ name: String) -> VarlinkError {
        VarlinkError(ArticlesInterface.name + ".WatchNotFound", ["name": name])
    }
    public static func watchExists(_ name: String) -> VarlinkError {
        VarlinkError(ArticlesInterface.name + ".WatchExists", ["name": name])
    }
    /// A watch name, note or count outside the limits.
    public static func invalidWatch(_ reason: String) -> VarlinkError {
        VarlinkError(ArticlesInterface.name + ".InvalidWatch", ["reason": reason])
    }
    public static func storeUnavailable(_ reason: String) -> VarlinkError {
        VarlinkError(ArticlesInterface.name + ".StoreUnavailable", ["reason": reason])
    }
}
