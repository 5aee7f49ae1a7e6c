import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// Subscribers that fall behind are told so and resume without loss; clients that go away in
/// the middle of a stream cost the daemon nothing.
@Suite("Subscribe and export streams")
struct SubscribeTests {
    /// More articles than a subscriber may fall behind (10,000) plus what the socket buffers hold.
    static let bulk = 14_000
    /// How long a subscriber waits for a reply before the test fails rather than hangs.
    static let patience = Duration.seconds(60)

    /// `count` distinct articles as one JSON Lines file, committed in one batch.
    static func bulkFile(count: Int, marker: String) -> String {
        (1...count).map { number in
            #"{"title":"خبر رقم \#(number) \#(marker)","#
                + #""body":"نص الخبر رقم \#(number) عن اجتماع اللجنة في المدينة \#(marker)"}"#
        }.joined(separator: "\n") + "\n"
    }

    /// Reads replies until one without `continues`, or until `stop` says enough.
    static func read(
        _ connection: VarlinkConnection, until stop: (Summary) -> Bool = { _ in false }
    ) throws -> (articles: [Summary], last: SubscribeReply?) {
        var articles: [Summary] = []
        while true {
            let reply = try connection.receive(SubscribeReply.self)
            if let article = reply.parameters?.article {
                articles.append(article)
                if stop(article) { return (articles, nil) }
            }
            if reply.continues != true { return (articles, reply.parameters) }
        }
    }

    @Test("an Export whose reader goes away after one article stops; the daemon answers and stops cleanly")
    func exportReaderGone() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let daemon = try Daemon(sandbox)
        try daemon.waitUntilAnswering()
        let count = 3_000
        try sandbox.write(Self.bulkFile(count: count, marker: "exportmarker"), to: sandbox.dropped("bulk.jsonl"))
        daemon.eventually("the bulk file ingested", timeout: .seconds(120), every: .milliseconds(100)) {
            try daemon.stats().articles == count
        }

        for _ in 0..<5 {
            let reader = try RawSocket(path: sandbox.socket)
            let first = reader.firstReply(to: Data(#"{"method":"io.akhbar.Articles.Export","more":true}"#.utf8) + [0])
            #expect(first?.contains(#""continues":true"#) == true, "\(first ?? "no reply")")
            reader.close()
        }
        #expect(daemon.process.isRunning, "akhbard died: \(daemon.process.tail())")
        let exported = try akhbar(["export", "--socket", sandbox.socket])
        #expect(exported.status == 0)
        #expect(exported.stdout.split(separator: "\n").count == count)
        // Abandoned exports still running would hold up shutdown.
        daemon.stop(timeout: .seconds(5))
        #expect(!daemon.process.tail(lines: 10_000).contains(" error "), "\(daemon.process.tail())")
    }
}
