import Logging

#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler that writes one readable line per event to standard error:
/// `2026-01-01T12:00:00Z info message key=value`.
public struct StderrLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// The shared level, unless `logLevel` was set on this handler.
    public var logLevel: Logger.Level {
        get { ownLevel ?? levelSwitch.level }
        set { ownLevel = newValue }
    }

    private let levelSwitch: LogLevelSwitch
    private var ownLevel: Logger.Level?

    public init(levelSwitch: LogLevelSwitch, metadataProvider: Logger.MetadataProvider? = nil) {
        self.levelSwitch = levelSwitch
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let eventMetadata = event.metadata { merged.merge(eventMetadata) { _, new in new } }
        Self.write(Self.line(time: time(nil), level: event.level, message: event.message.description, metadata: merged))
    }

    /// The line for one event, without the trailing newline. Metadata comes in key order; values
    /// that would not read as one word are quoted.
    public static func line(time: time_t, level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        var line = timestamp(time) + " " + level.rawValue + " " + message
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            line += " " + key + "=" + quotedIfNeeded(value.description)
        }
        return line
    }

    /// UTC in ISO 8601 to the second, e.g. `2026-01-01T12:00:00Z`.
    static func timestamp(_ time: time_t) -> String {
        var seconds = time
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
            + "T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    static func quotedIfNeeded(_ value: String) -> String {
        let plain = !value.isEmpty && !value.contains { $0.isWhitespace || $0 == "\"" || $0 == "=" || $0 == "\\" }
        if plain { return value }
        var quoted = "\""
        for character in value {
            switch character {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            default: quoted.append(character)
            }
        }
        return quoted + "\""
    }

    /// Writes the line and a newline in one `write(2)`, so concurrent lines do not interleave.
    static func write(_ line: String) {
        var bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes {
                Glibc.write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset)
            }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}
