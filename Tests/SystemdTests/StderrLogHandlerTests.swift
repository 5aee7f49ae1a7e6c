import Logging
import Testing

@testable import Systemd

struct StderrLogHandlerTests {
    // 2026-01-01T12:00:00Z
    let noon = 1_767_268_800

    @Test func formatsALine() {
        let line = StderrLogHandler.line(
            time: noon, level: .info, message: "ingested",
            metadata: ["path": "/srv/drop/a.txt", "article_id": .stringConvertible(7)]
        )
        #expect(line == "2026-01-01T12:00:00Z info ingested article_id=7 path=/srv/drop/a.txt")
    }

    @Test func quotesValuesThatAreNotOneWord() {
        let line = StderrLogHandler.line(
            time: 0, level: .warning, message: "rejected",
            metadata: ["reason": "not text", "title": "سطر\nثان", "empty": "", "q": #"a"b"#]
        )
        #expect(line == #"1970-01-01T00:00:00Z warning rejected empty="" q="a\"b" reason="not text" title="سطر\nثان""#)
    }

    @Test func levelSwitchReachesExistingHandlers() {
        let levels = LogLevelSwitch(.info)
        var handler = StderrLogHandler(levelSwitch: levels)
        let journal = JournalLogHandler(identifier: "akhbard", levelSwitch: levels)
        levels.level = .debug
        #expect(handler.logLevel == .debug)
        #expect(journal.logLevel == .debug)
        handler.logLevel = .error
        levels.level = .trace
        #expect(handler.logLevel == .error)
        #expect(journal.logLevel == .trace)
    }
}
