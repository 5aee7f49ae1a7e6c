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

    @Test(
        "a subscriber that never reads is told what it missed, and resuming after its cursor delivers exactly the rest")
    func gapAndResume() throws {
        try withDaemon { daemon in
            let sandbox = daemon.sandbox
            try sandbox.write(SampleArticle.text(title: "firstsentinelmarker"), to: sandbox.dropped("first.txt"))
            daemon.eventually("the first sentinel ingested") { try daemon.stats().articles == 1 }

            let slow = try VarlinkConnection(path: sandbox.socket, receiveTimeout: Self.patience)
            try slow.send(
                VarlinkCall(
                    method: ArticlesInterface.Method.subscribe.rawValue, parameters: SubscribeParameters(after: 0),
                    more: true))
            // The replayed sentinel proves the subscription is in place before the bulk arrives.
            let first = try slow.receive(SubscribeReply.self)
            #expect(first.parameters?.article?.path?.hasSuffix("first.txt") == true)

            try sandbox.write(Self.bulkFile(count: Self.bulk, marker: "bulkmarker"), to: sandbox.dropped("bulk.jsonl"))
            daemon.eventually("the bulk file ingested", timeout: .seconds(300), every: .milliseconds(200)) {
                try daemon.stats().articles == 1 + Self.bulk
            }
            // Committed after the bulk file's articles were published: once it is in the store, the
            // subscriber's feed has seen everything it will see.
            try sandbox.write(SampleArticle.text(title: "lastsentinelmarker"), to: sandbox.dropped("last.txt"))
            daemon.eventually("the last sentinel ingested") { try daemon.stats().articles == 2 + Self.bulk }

            let (delivered, end) = try Self.read(slow)
            let gap = try #require(end, "the slow subscription ended without a last reply")
            let missed = try #require(gap.missed, "the last reply says nothing about missed articles: \(gap)")
            let cursor = try #require(gap.resumeAfter)
            #expect(gap.article == nil)
            #expect(missed > 0)
            #expect(delivered.last?.id == cursor, "the cursor is not the last article delivered")
            print("slow subscriber: \(delivered.count + 1) delivered, \(missed) missed, resume after \(cursor)")

            let resumed = try VarlinkConnection(path: sandbox.socket, receiveTimeout: Self.patience)
            try resumed.send(
                VarlinkCall(
                    method: ArticlesInterface.Method.subscribe.rawValue, parameters: SubscribeParameters(after: cursor),
                    more: true))
            let (rest, _) = try Self.read(resumed) { $0.path?.hasSuffix("last.txt") == true }
            let ids = [first.parameters?.article?.id].compactMap { $0 } + delivered.map(\.id) + rest.map(\.id)
            #expect(ids.count == Set(ids).count, "\(ids.count - Set(ids).count) articles delivered twice")
            #expect(
                Set(ids) == Set(1...Int64(2 + Self.bulk)), "\(2 + Self.bulk - Set(ids).count) articles never delivered")
            #expect(ids == ids.sorted(), "articles out of order")
        }
    }

    @Test("a subscription with after replays the store, then continues live with nothing twice and nothing lost")
    func replayThenLive() throws {
        try withDaemon(seeds: true) { daemon in
            daemon.eventually("the seeds ingested") { try daemon.stats().articles == 5 }
            let subscriber = try VarlinkConnection(path: daemon.sandbox.socket, receiveTimeout: Self.patience)
            try subscriber.send(
                VarlinkCall(
                    method: ArticlesInterface.Method.subscribe.rawValue, parameters: SubscribeParameters(after: 2),
                    more: true))
            try daemon.sandbox.write(
                SampleArticle.text(title: "replaylivemarker"), to: daemon.sandbox.dropped("live.txt"))
            let (articles, _) = try Self.read(subscriber) { $0.path?.hasSuffix("live.txt") == true }
            #expect(articles.map(\.id) == [3, 4, 5, 6])
        }
    }

    @Test("Subscribe refuses a negative cursor, and a cursor that is not a number, before any reply")
    func badCursor() throws {
        try withDaemon { daemon in
            for parameters in [#"{"after":-1}"#, #"{"after":"7"}"#, #"{"after":1.5}"#, "[]"] {
                let socket = try RawSocket(path: daemon.sandbox.socket)
                defer { socket.close() }
                let message = #"{"method":"io.akhbar.Articles.Subscribe","more":true,"parameters":\#(parameters)}"#
                let reply = socket.firstReply(to: Data(message.utf8) + [0])
                #expect(
                    reply?.contains("org.varlink.service.InvalidParameter") == true,
                    "\(parameters): \(reply ?? "no reply")")
            }
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
