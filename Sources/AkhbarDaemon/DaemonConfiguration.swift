import Logging

/// Everything the daemon needs to know to run, from flags, the config file and defaults.
public struct DaemonConfiguration: Sendable, Hashable {
    /// The folder watched for new articles, recursively.
    public var dropFolder: String
    /// The SQLite file.
    public var store: String
    /// The query socket's path (used unless systemd passes a socket).
    public var socket: String
    public var logLevel: Logger.Level
    /// Files larger than this are rejected unread.
    public var maxFileSize: Int
    /// How long the drop folder may be gone (removed or moved away) before the daemon gives up
    /// and exits with a failure.
    public var dropGrace: Duration

    /// 30 s: a folder replaced by a script (moved aside and made anew, restored from a backup) or
    /// remounted is back within seconds; one still gone after half a minute needs an operator,
    /// and a failed unit is what monitoring sees.
    public static let defaultDropGrace = Duration.seconds(30)

    public init(
        dropFolder: String, store: String, socket: String, logLevel: Logger.Level = .info, maxFileSize: Int = 10 << 20,
        dropGrace: Duration = defaultDropGrace
    ) {
        self.dropFolder = dropFolder
        self.store = store
        self.socket = socket
        self.logLevel = logLevel
        self.maxFileSize = maxFileSize
        self.dropGrace = dropGrace
    }
}
