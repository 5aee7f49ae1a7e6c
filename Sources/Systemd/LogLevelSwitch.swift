import Logging
import Synchronization

/// A log level shared by all loggers made by one bootstrap, changeable at run time.
///
/// swift-log fixes the handler factory at bootstrap and copies a level into every `Logger`, so a
/// reload that changes `log-level` has to reach the handlers through a shared reference: handlers
/// read this level unless their own `logLevel` was set explicitly.
public final class LogLevelSwitch: Sendable {
    private let current: Mutex<Logger.Level>

    public init(_ level: Logger.Level) {
        current = Mutex(level)
    }

    /// The level loggers log at; setting it affects every logger sharing this switch at once.
    public var level: Logger.Level {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }
}
