import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// What a misbehaving peer does to the socket: it gets an error and loses its own connection,
/// nobody else notices.
///
/// The daemon runs in the test's process (``withInProcessDaemon``); what blocks waits on a thread
/// of its own.
@Suite("Malformed and oversized messages")
struct InProcessWireRobustnessTests {
    @Test(
        "garbage, and a message over 1 MiB, get an error reply and close only their connection",
        arguments: [
            Data("this is not json".utf8) + [0],
            Data(#"{"method":"io.akhbar.Articles.Search","parameters":{"query":""#.utf8)
                + Data(repeating: UInt8(ascii: "a"), count: VarlinkFraming.maxMessageSize + 1),
        ])
    func badMessage(bytes: Data) async throws {
        try await withInProcessDaemon { daemon in
            let bystander = Handed(try VarlinkConnection(path: daemon.sandbox.socket))
            _ = try await onOwnThread {
                try bystander.value.call(
                    ArticlesInterface.Method.stats.rawValue, NoParameters(), returning: StatsReply.self)
            }

            let socket = daemon.sandbox.socket
            let reply = try await onOwnThread { try RawSocket(path: socket).exchange(bytes) }
            #expect(reply.message?.contains(#""error""#) == true, "no error reply: \(reply.message ?? "nothing")")
            #expect(reply.closed, "the daemon kept the offending connection open")

            _ = try await onOwnThread {
                try bystander.value.call(
                    ArticlesInterface.Method.stats.rawValue, NoParameters(), returning: StatsReply.self)
            }
            #expect(daemon.isRunning)
        }
    }
}
