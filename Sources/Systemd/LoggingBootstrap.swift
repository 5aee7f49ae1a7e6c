import Logging

/// Installs the daemon's log handlers in swift-log's `LoggingSystem`.
public enum LoggingBootstrap {
    /// Bootstraps swift-log once per process, choosing the destination with
    /// ``LogDestination/detect()`` unless one is given. Keep `levelSwitch` to change the level on
    /// reload.
    ///
    /// - Parameter identifier: the journal's `SYSLOG_IDENTIFIER`.
    /// - Returns: the destination chosen, worth logging at start-up.
    @discardableResult
    public static func bootstrap(
        identifier: String,
        levelSwitch: LogLevelSwitch,
        destination: LogDestination = .detect(),
        metadataProvider: Logger.MetadataProvider? = nil
    ) -> LogDestination {
        switch destination {
        case .journal:
            LoggingSystem.bootstrap(
                { _, provider in
                    JournalLogHandler(identifier: identifier, levelSwitch: levelSwitch, metadataProvider: provider)
                }, metadataProvider: metadataProvider)
        case .standardError:
            LoggingSystem.bootstrap(
                { _, provider in
                    StderrLogHandler(levelSwitch: levelSwitch, metadataProvider: provider)
                }, metadataProvider: metadataProvider)
        }
        return destination
    }
}
