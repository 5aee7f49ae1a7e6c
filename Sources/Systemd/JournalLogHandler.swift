import CSystemd
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler that writes structured entries to the systemd journal with
/// `sd_journal_sendv` (sd_journal_print(3)); see ``JournalEntry`` for the fields.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// The shared level, unless `logLevel` was set on this handler.
    public var logLevel: Logger.Level {
        get { ownLevel ?? levelSwitch.level }
        set { ownLevel = newValue }
    }

    /// `SYSLOG_IDENTIFIER` of every entry.
    public let identifier: String

    private let levelSwitch: LogLevelSwitch
    private var ownLevel: Logger.Level?

    public init(
        identifier: String,
        levelSwitch: LogLevelSwitch,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.identifier = identifier
        self.levelSwitch = levelSwitch
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let entry = JournalEntry(
            level: event.level,
            message: event.message.description,
            metadata: mergedMetadata(event.metadata),
            identifier: identifier,
            file: event.file,
            function: event.function,
            line: event.line
        )
        if Self.send(entry) != 0 {
            // Under systemd stderr usually ends up in the journal too, so the entry is not lost,
            // only its structure.
            StderrLogHandler.write(
                StderrLogHandler.line(
                    time: time(nil), level: event.level, message: event.message.description,
                    metadata: mergedMetadata(event.metadata)
                ))
        }
    }

    private func mergedMetadata(_ eventMetadata: Logger.Metadata?) -> Logger.Metadata {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let eventMetadata { merged.merge(eventMetadata) { _, new in new } }
        return merged
    }

    /// Sends the entry; returns 0 or a negative errno.
    private static func send(_ entry: JournalEntry) -> Int32 {
        // One contiguous buffer, so every iovec can point into it while sd_journal_sendv runs.
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for field in entry.fields {
            let start = bytes.count
            bytes.append(contentsOf: field.description.utf8)
            ranges.append(start..<bytes.count)
        }
        return bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return -EINVAL }
            var vectors = ranges.map { iovec(iov_base: base + $0.lowerBound, iov_len: $0.count) }
            return sd_journal_sendv(&vectors, Int32(vectors.count))
        }
    }
}
