import AkhbarProtocol
import Foundation
import Logging
import NIOCore
import NIOPosix

/// The Varlink server on the query socket: bound at start, then serving every connection
/// concurrently until shut down.
struct QueryServer: Sendable {
    typealias Listener = NIOAsyncChannel<NIOAsyncChannel<VarlinkFrameDecoder.Frame, ByteBuffer>, Never>

    let listener: Listener
    let handler: VarlinkConnectionHandler
    /// Where the socket lives, or nil for a socket passed by systemd.
    let path: String?

    /// Binds `path`, replacing a stale socket file left by a previous run, or adopts `descriptor`
    /// when systemd passed a listening socket.
    static func bind(path: String, adopting descriptor: Int32?, handler: VarlinkConnectionHandler) async throws -> QueryServer {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
        let initializer: @Sendable (Channel) -> EventLoopFuture<NIOAsyncChannel<VarlinkFrameDecoder.Frame, ByteBuffer>> = { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(VarlinkFrameDecoder()))
                return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
            }
        }
        if let descriptor {
            let listener = try await bootstrap.bind(descriptor, childChannelInitializer: initializer)
            return QueryServer(listener: listener, handler: handler, path: nil)
        }
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let listener = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true, childChannelInitializer: initializer)
        return QueryServer(listener: listener, handler: handler, path: path)
    }

    /// Accepts connections until the listener closes; returns after every connection has ended.
    func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            try await listener.executeThenClose { connections in
                for try await connection in connections {
                    group.addTask { await handler.serve(connection) }
                }
            }
        }
    }

    /// Stops accepting; open connections finish on their own.
    func close() {
        listener.channel.close(promise: nil)
        if let path { unlink(path) }
    }
}
