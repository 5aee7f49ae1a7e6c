import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// What a misbehaving peer does to the socket: it gets an error and loses its own connection,
/// nobody else notices.
@Suite("Malformed and oversized messages")
struct WireRobustnessTests {
    @Test(
        "garbage, and a message over 1 MiB, get an error reply and close only their connection",
        arguments: [
            Data("this is not json".utf8) + [0],
            Data(#"{"method":"io.akhbar.Articles.Search","parameters":{"query":""#.utf8)
                + Data(repeating: UInt8(ascii: "a"), count: VarlinkFraming.maxMessageSize + 1),
        ])
    func badMessage(bytes: Data) throws {
        try withDaemon { daemon in
            let bystander = try VarlinkConnection(path: daemon.sandbox.socket)
            _ = try bystander.call(ArticlesInterface.Method.stats.rawValue, NoParameters(), returning: StatsReply.self)

            let reply = try RawSocket(path: daemon.sandbox.socket).exchange(bytes)
            #expect(reply.message?.contains(#""error""#) == true, "no error reply: \(reply.message ?? "nothing")")
            #expect(reply.closed, "the daemon kept the offending connection open")

            _ = try bystander.call(ArticlesInterface.Method.stats.rawValue, NoParameters(), returning: StatsReply.self)
            #expect(daemon.process.isRunning)
        }
    }
}

/// Numbers at the edge of what a parameter holds: each is refused by name, and the daemon lives on.
@Suite("Numeric parameters")
struct NumericParameterTests {
    @Test(
        "a Search offset near Int64.max is refused as InvalidParameter instead of stopping the daemon",
        arguments: [
            SearchParameters(query: "ليبيا", offset: 9_223_372_036_854_775_000),
            SearchParameters(query: "ليبيا", limit: Int.max, offset: Int.max),
            SearchParameters(query: "ليبيا", offset: -1),
            SearchParameters(query: "ليبيا", limit: 0),
            SearchParameters(query: "ليبيا", limit: Int.min),
            SearchParameters(query: "ليبيا", limit: 1001),
            SearchParameters(query: "ليبيا", offset: 10_001),
        ])
    func searchExtremes(parameters: SearchParameters) throws {
        try withDaemon(seeds: true) { daemon in
            daemon.eventually("the seeds ingested") { try daemon.stats().articles == 5 }
            let expected = parameters.limit.map { SearchParameters.limits.contains($0) } == false ? "limit" : "offset"
            #expect(throws: VarlinkError.invalidParameter(expected)) {
                try daemon.call(.search, parameters, returning: SearchReply.self)
            }
            #expect(daemon.process.isRunning, "akhbard died: \(daemon.process.tail())")
            let hits = try daemon.search("ليبيا")
            #expect(!hits.isEmpty)
        }
    }

    @Test("the largest page at the deepest offset is answered")
    func deepestPage() throws {
        try withDaemon(seeds: true) { daemon in
            daemon.eventually("the seeds ingested") { try daemon.stats().articles == 5 }
            let parameters = SearchParameters(
                query: "ليبيا", limit: SearchParameters.limits.upperBound, offset: SearchParameters.offsets.upperBound)
            let reply = try daemon.call(.search, parameters, returning: SearchReply.self)
            #expect(reply.hits.isEmpty)
        }
    }

    @Test("Recent and Rejections refuse a limit outside their range, and a limit that is not a number")
    func limits() throws {
        try withDaemon { daemon in
            for method in [ArticlesInterface.Method.recent, .rejections] {
                for limit in [0, -1, Int.min, Int.max] {
                    #expect(throws: VarlinkError.invalidParameter("limit")) {
                        try daemon.call(method, LimitParameters(limit: limit), returning: RecentReply.self)
                    }
                }
                #expect(throws: VarlinkError.invalidParameter("limit")) {
                    try daemon.call(method, ["limit": "20"], returning: RecentReply.self)
                }
            }
            let recent = try daemon.call(.recent, LimitParameters(limit: 10_000), returning: RecentReply.self)
            #expect(recent.articles.isEmpty)
        }
    }
}

/// A bare Unix-socket client that can send bytes no well-behaved client would.
struct RawSocket {
    let descriptor: Int32

    /// Connects to `path`; a read then waits up to `timeout` seconds for the daemon.
    init(path: String, timeout: Double = 10) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw Failure("cannot connect to \(path): errno \(code)")
        }
        var wait = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends `bytes` (stopping early if the peer hangs up), then reads the first reply and whether
    /// the peer closed the connection after it.
    func exchange(_ bytes: Data) throws -> (message: String?, closed: Bool) {
        defer { close() }
        send(bytes)
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                // ECONNRESET: closed with our bytes unread; EAGAIN: the timeout, still open.
                let closed = errno == ECONNRESET
                return (Self.firstMessage(received), closed)
            }
            received += chunk[..<count]
        }
        return (Self.firstMessage(received), true)
    }

    /// Sends `bytes` and returns the first reply as soon as it is complete: nil if the peer closed
    /// the connection or the timeout passed first. The connection stays open.
    func firstReply(to bytes: Data) -> String? {
        send(bytes)
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while !received.contains(0) {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            received += chunk[..<count]
        }
        return Self.firstMessage(received)
    }

    /// Sends all of `bytes`, stopping early if the peer hangs up.
    func send(_ bytes: Data) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let sent = Glibc.send(
                    descriptor, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return }
                offset += sent
            }
        }
    }

    func close() {
        Glibc.close(descriptor)
    }

    /// Whether the peer has sent something or closed the connection, without waiting.
    func hasInput() -> Bool {
        var byte: UInt8 = 0
        return recv(descriptor, &byte, 1, Int32(MSG_DONTWAIT | MSG_PEEK)) >= 0
    }

    private static func firstMessage(_ bytes: [UInt8]) -> String? {
        guard let end = bytes.firstIndex(of: 0) else { return nil }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }
}
