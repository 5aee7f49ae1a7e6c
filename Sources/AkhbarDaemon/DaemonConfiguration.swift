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

    public init(dropFolder: String, store: String, socket: String, logLevel: Logger.Level = .info, maxFileSize: Int = 10 << 20) {
        self.dropFolder = dropFolder
        self.store = store
        self.socket = socket
        self.logLevel = logLevel
        self.maxFileSize = maxFileSize
    }
}
