import AkhbarProtocol
import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The Varlink server on the query socket: bound at start, then serving every connection
/// concurrently until shut down.
struct QueryServer: Sendable {
    typealias Listener = NIOAsyncChannel<NIOAsyncChannel<VarlinkFrameDecoder.Frame, ByteBuffer>, Never>

    let listener: Listener
    let handler: VarlinkConnectionHandler
    /// Where the socket lives, or nil for a socket passed by systemd.
    let path: String?
    private let listenerErrors: ListenerErrors

    /// Binds `path`, replacing a stale socket file left by a previous run, or adopts `descriptor`
    /// when systemd passed a listening socket.
    static func bind(path: String, adopting descriptor: Int32?, handler: VarlinkConnectionHandler) async throws -> QueryServer {
        let listenerErrors = ListenerErrors()
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(listenerErrors) }
            }
        let initializer: @Sendable (Channel) -> EventLoopFuture<NIOAsyncChannel<VarlinkFrameDecoder.Frame, ByteBuffer>> = { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(VarlinkFrameDecoder()))
                return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
            }
        }
        if let descriptor {
            let listener = try await bootstrap.bind(descriptor, childChannelInitializer: initializer)
            return QueryServer(listener: listener, handler: handler, path: nil, listenerErrors: listenerErrors)
        }
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let listener = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true, childChannelInitializer: initializer)
        return QueryServer(listener: listener, handler: handler, path: path, listenerErrors: listenerErrors)
    }

    /// Accepts connections until the listener closes, then tells `stoppedAccepting` why (after
    /// ``close()`` too) and returns once every connection has ended.
    ///
    /// The report comes as soon as accepting ends, not after the connections: a `follow` stream can
    /// stay open for days and must not hide that no new client can get in.
    func run(stoppedAccepting: @Sendable (_ reason: String) -> Void) async {
        await withDiscardingTaskGroup { group in
            do {
                try await listener.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await handler.serve(connection) }
                    }
                }
                stoppedAccepting(listenerErrors.last.map { "the listening socket closed; its last error: \($0)" } ?? "the listening socket closed")
            } catch {
                stoppedAccepting("\(error)")
            }
        }
    }

    /// Stops accepting; open connections finish on their own.
    func close() {
        listener.channel.close(promise: nil)
        if let path { unlink(path) }
    }
}

/// Keeps the last error the listening socket reported. NIO's accept backoff handler swallows accept
/// errors, and one it deems fatal (e.g. EPERM from a seccomp filter) closes the listener with no
/// error on the connection stream, so without this the log could not say why accepting ended.
private final class ListenerErrors: ChannelInboundHandler, Sendable {
    typealias InboundIn = any Channel

    private let error = Mutex<(any Error)?>(nil)

    var last: (any Error)? { error.withLock { $0 } }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.error.withLock { $0 = error }
        context.fireErrorCaught(error)
    }
}
