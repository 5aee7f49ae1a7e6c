import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// Connections cannot take every descriptor of the daemon: there is a cap, unfinished messages
/// time out, and a bystander is answered promptly beside a thousand idle connections.
@Suite("Connection limits")
struct ConnectionLimitTests {
    /// The daemon's cap with the test runner's descriptor limit (inherited, and far above 1,280).
    static let cap = 1024

    @Test("a connection that sends part of a message and then nothing is answered with an error and closed after 5 s")
    func unterminatedMessage() throws {
        try withDaemon { daemon in
            let socket = try RawSocket(path: daemon.sandbox.socket, timeout: 30)
            let clock = ContinuousClock()
            let start = clock.now
            let reply = try socket.exchange(Data(#"{"method":"io.akhbar.Articles.Stats""#.utf8))
            let elapsed = clock.now - start
            #expect(reply.closed, "the connection stayed open \(elapsed) after an unterminated message")
            #expect(
                reply.message?.contains("io.akhbar.Articles.InvalidMessage") == true, "\(reply.message ?? "no reply")")
            #expect(elapsed >= .milliseconds(4_900) && elapsed < .seconds(15), "closed after \(elapsed), not 5 s")
            print("unterminated message: closed after \(elapsed)")
            let stats = try daemon.stats()
            #expect(stats.articles == 0)
        }
    }

    @Test("a Subscribe stream with nothing to send outlives the unterminated-message timeout")
    func quietStreamIsNotIdle() throws {
        try withDaemon { daemon in
            let subscriber = try VarlinkConnection(path: daemon.sandbox.socket)
            try subscriber.send(
                VarlinkCall(method: ArticlesInterface.Method.subscribe.rawValue, parameters: NoParameters(), more: true)
            )
            // A connection with part of a message waiting is closed within the timeout; once it is,
            // the quiet subscriber has been open longer than that.
            let probe = try RawSocket(path: daemon.sandbox.socket, timeout: 30)
            let probed = try probe.exchange(Data("{".utf8))
            #expect(probed.closed)
            try daemon.sandbox.write(
                SampleArticle.text(title: "quietstreammarker"), to: daemon.sandbox.dropped("quiet.txt"))
            let reply = try subscriber.receive(SubscribeReply.self)
            #expect(reply.parameters?.article?.path?.hasSuffix("quiet.txt") == true)
        }
    }

    @Test("with the cap reached a new client is told so at once, and is answered once others go away")
    func cap() throws {
        try withDaemon { daemon in
            // A few more than the cap: connections closed just before (the harness's own) may not
            // have been counted out yet when these are counted in.
            var idle: [RawSocket] = []
            defer { for socket in idle { socket.close() } }
            for _ in 0..<(Self.cap + 16) { idle.append(try RawSocket(path: daemon.sandbox.socket)) }
            let probe = try RawSocket(path: daemon.sandbox.socket)
            let reply = try probe.exchange(Data(#"{"method":"io.akhbar.Articles.Stats"}"#.utf8) + [0])
            #expect(
                reply.message?.contains("io.akhbar.Articles.TooManyConnections") == true,
                "\(reply.message ?? "no reply")")
            #expect(reply.closed)

            // The refusals are written concurrently, so some may still be on their way.
            var served = idle
            daemon.eventually("the idle connections over the cap refused") {
                served = idle.filter { !$0.hasInput() }
                return served.count <= Self.cap
            }
            #expect(served.count >= Self.cap - 16, "only \(served.count) idle connections served")

            for socket in served.prefix(10) { socket.close() }
            idle = idle.filter { socket in !served.prefix(10).contains { $0.descriptor == socket.descriptor } }
            daemon.eventually("a new client is answered") {
                let socket = try RawSocket(path: daemon.sandbox.socket)
                defer { socket.close() }
                return socket.firstReply(to: Data(#"{"method":"io.akhbar.Articles.Stats"}"#.utf8) + [0])?
                    .contains(#""articles""#) == true
            }
            #expect(daemon.process.isRunning)
        }
    }

    @Test("a bystander's searches stay fast while 1,000 idle connections are open")
    func bystanderLatency() throws {
        try withDaemon(seeds: true) { daemon in
            daemon.eventually("the seeds ingested") { try daemon.stats().articles == 5 }
            let bystander = try VarlinkConnection(path: daemon.sandbox.socket)
            func search() throws -> Duration {
                try ContinuousClock().measure {
                    _ = try bystander.call(
                        ArticlesInterface.Method.search.rawValue, SearchParameters(query: "ليبيا"),
                        returning: SearchReply.self)
                }
            }
            let before = try (0..<50).map { _ in try search() }.sorted()

            var idle: [RawSocket] = []
            defer { for socket in idle { socket.close() } }
            for _ in 0..<1000 { idle.append(try RawSocket(path: daemon.sandbox.socket)) }
            // Every idle connection has been accepted once one opened after them is answered.
            let last = try RawSocket(path: daemon.sandbox.socket)
            defer { last.close() }
            let answer = last.firstReply(to: Data(#"{"method":"io.akhbar.Articles.Stats"}"#.utf8) + [0])
            #expect(answer?.contains(#""articles""#) == true, "\(answer ?? "no reply")")

            let during = try (0..<200).map { _ in try search() }.sorted()
            let p50 = during[during.count / 2]
            let p99 = during[during.count * 99 / 100]
            print(
                "bystander Search with 1,000 idle connections: p50 \(p50), p99 \(p99);",
                "before them p50 \(before[before.count / 2])")
            #expect(p50 < .milliseconds(50), "p50 \(p50) with 1,000 idle connections")
            #expect(daemon.process.isRunning)
        }
    }
}
