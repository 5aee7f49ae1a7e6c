import Testing

@testable import Systemd

struct LogDestinationTests {
    @Test(arguments: [
        ("2049:12345", LogDestination.journal),
        ("2049:12346", .standardError),  // stderr was redirected after systemd set it up
        ("7:12345", .standardError),
        ("2049", .standardError),
        ("", .standardError),
        ("x:y", .standardError),
    ])
    func journalOnlyWhenStderrIsTheJournalStream(stream: String, expected: LogDestination) {
        #expect(LogDestination.choose(journalStream: stream, device: 2049, inode: 12345) == expected)
    }

    @Test func standardErrorOutsideSystemd() {
        #expect(LogDestination.choose(journalStream: nil, device: 2049, inode: 12345) == .standardError)
    }
}
