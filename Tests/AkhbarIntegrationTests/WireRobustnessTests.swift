import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// What a misbehaving peer does to the socket: it gets an error and loses its own connection,
/// nobody else notices.
@Suite("Malformed and oversized messages")
struct WireRobustnessTests {
    @Test("garbage, and a message over 1 MiB, get an error reply and close only their connection", arguments: [
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

/// A bare Unix-socket client that can send bytes no well-behaved client would.
struct RawSocket {
    let descriptor: Int32

    init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw Failure("cannot connect to \(path): errno \(errno)") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends `bytes` (stopping early if the peer hangs up), then reads the first reply and whether
    /// the peer closed the connection after it.
    func exchange(_ bytes: Data) throws -> (message: String?, closed: Bool) {
        defer { close(descriptor) }
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let sent = send(descriptor, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return }
                offset += sent
            }
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                // ECONNRESET: closed with our bytes unread; EAGAIN: the 10 s timeout, still open.
                let closed = errno == ECONNRESET
                return (Self.firstMessage(received), closed)
            }
            received += chunk[..<count]
        }
        return (Self.firstMessage(received), true)
    }

    private static func firstMessage(_ bytes: [UInt8]) -> String? {
        guard let end = bytes.firstIndex(of: 0) else { return nil }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }
}
