import Logging
import Testing

@testable import Systemd

struct JournalEntryTests {
    @Test func mapsAnEventToJournalFields() {
        let entry = JournalEntry(
            level: .warning,
            message: "rejected: not text",
            metadata: ["path": "/srv/akhbar/drop/x.bin", "reason": "not text", "article_id": .stringConvertible(42)],
            identifier: "akhbard",
            file: "AkhbarDaemon/Ingest.swift",
            function: "ingest(_:)",
            line: 120
        )
        #expect(
            entry.fields.map(\.description) == [
                "MESSAGE=rejected: not text",
                "PRIORITY=4",
                "SYSLOG_IDENTIFIER=akhbard",
                "CODE_FILE=AkhbarDaemon/Ingest.swift",
                "CODE_LINE=120",
                "CODE_FUNC=ingest(_:)",
                "AKHBAR_ARTICLE_ID=42",
                "AKHBAR_PATH=/srv/akhbar/drop/x.bin",
                "AKHBAR_REASON=not text",
            ])
    }

    @Test(arguments: [
        (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
    ])
    func priorityFollowsSyslog(level: Logger.Level, priority: Int) {
        #expect(JournalEntry.priority(for: level) == priority)
    }

    @Test(arguments: [
        ("path", "AKHBAR_PATH"),
        ("article_id", "AKHBAR_ARTICLE_ID"),
        ("drop-folder", "AKHBAR_DROP_FOLDER"),
        ("file.size", "AKHBAR_FILE_SIZE"),
        ("مسار", "AKHBAR_____"),
        ("", "AKHBAR_"),
        (String(repeating: "k", count: 100), "AKHBAR_" + String(repeating: "K", count: 57)),
    ])
    func metadataKeysBecomeValidFieldNames(key: String, name: String) {
        #expect(JournalEntry.fieldName(forMetadataKey: key) == name)
    }

    @Test func nestedMetadataIsRenderedAsText() {
        let entry = JournalEntry(
            level: .info, message: "m", metadata: ["paths": ["/a", "/b"]], identifier: "akhbard",
            file: "f", function: "g", line: 1
        )
        #expect(entry.fields.last == JournalField(name: "AKHBAR_PATHS", value: #"["/a", "/b"]"#))
    }
}
