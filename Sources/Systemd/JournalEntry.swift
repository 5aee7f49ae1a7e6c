import Logging

/// The fields of one journal entry for a log event; pure, so the mapping can be tested without a
/// journal.
///
/// Metadata becomes `AKHBAR_`-prefixed upper-case fields (`path` → `AKHBAR_PATH`), which makes
/// `journalctl -u akhbard AKHBAR_PATH=/srv/akhbar/drop/a.txt` work.
public struct JournalEntry: Sendable, Hashable {
    /// The prefix that keeps the daemon's metadata apart from journald's own fields.
    public static let metadataPrefix = "AKHBAR_"

    public var fields: [JournalField]

    /// - Parameters:
    ///   - identifier: `SYSLOG_IDENTIFIER`, what `journalctl -t` and the line prefix show.
    ///   - metadata: rendered with `Logger.MetadataValue`'s description, in key order.
    public init(
        level: Logger.Level,
        message: String,
        metadata: Logger.Metadata,
        identifier: String,
        file: String,
        function: String,
        line: UInt
    ) {
        var fields = [
            JournalField(name: "MESSAGE", value: message),
            JournalField(name: "PRIORITY", value: String(Self.priority(for: level))),
            JournalField(name: "SYSLOG_IDENTIFIER", value: identifier),
            JournalField(name: "CODE_FILE", value: file),
            JournalField(name: "CODE_LINE", value: String(line)),
            JournalField(name: "CODE_FUNC", value: function),
        ]
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            fields.append(JournalField(name: Self.fieldName(forMetadataKey: key), value: value.description))
        }
        self.fields = fields
    }

    /// The syslog priority journald files a level under: 7 debug … 2 critical (syslog(3)).
    public static func priority(for level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// `AKHBAR_` and the key upper-cased, with anything journald does not accept in a field name
    /// replaced by `_` and cut to journald's 64-character limit.
    public static func fieldName(forMetadataKey key: String) -> String {
        let body = key.unicodeScalars.map { scalar -> String in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9": String(scalar).uppercased()
            default: "_"
            }
        }.joined()
        return String((metadataPrefix + body).prefix(64))
    }
}
