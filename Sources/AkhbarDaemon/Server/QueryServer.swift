import AkhbarProtocol
import Foundation
import Glibc
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
    /// The socket file this process bound: another daemon may have bound the path since.
    private let boundFile: FileIdentity?
    private let maxConnections: Int
    private let listenerErrors: ListenerErrors
    /// Finished once the accept loop has ended. Connections NIO accepted before the listener closed
    /// are all handed to the loop first; a connection dropped unserved would trap in NIO.
    private let acceptLoopEnded = AsyncStream.makeStream(of: Void.self)

    /// Binds `path`, replacing a stale socket file left by a previous run, or adopts `descriptor`
    /// when systemd passed a listening socket.
    static func bind(
        path: String, adopting descriptor: Int32?, handler: VarlinkConnectionHandler,
        maxConnections: Int = defaultMaxConnections(), timeouts: ConnectionTimeouts = ConnectionTimeouts()
    ) async throws -> QueryServer {
        let listenerErrors = ListenerErrors()
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(listenerErrors) }
            }
        let initializer:
            @Sendable (Channel) -> EventLoopFuture<NIOAsyncChannel<VarlinkFrameDecoder.Frame, ByteBuffer>> = {
                channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(VarlinkFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(ConnectionDeadlines(timeouts: timeouts))
                    let connection = try NIOAsyncChannel<VarlinkFrameDecoder.Frame, ByteBuffer>(
                        wrappingChannelSynchronously: channel)
                    // A connection accepted while the listener closes can be dropped by NIO before the
                    // accept loop sees it, and its writer traps when released unfinished. Held until its
                    // channel closes and finished then, such a connection is harmless; one that was served
                    // is already finished, and finishing it again does nothing.
                    channel.closeFuture.whenComplete { _ in
                        Task { try? await connection.executeThenClose { _, _ in } }
                    }
                    return connection
                }
            }
        if let descriptor {
            let listener = try await bootstrap.bind(descriptor, childChannelInitializer: initializer)
            return QueryServer(
                listener: listener, handler: handler, path: nil, boundFile: nil, maxConnections: maxConnections,
                listenerErrors: listenerErrors)
        }
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Bound here rather than by NIO, which unlinks the path when it closes a socket it bound:
        // that would take away the socket of a daemon started on the same path since.
        let descriptor = try listeningSocket(at: path)
        let boundFile = FileIdentity(path: path)
        let listener: Listener
        do {
            listener = try await bootstrap.bind(descriptor, childChannelInitializer: initializer)
        } catch {
            Glibc.close(descriptor)
            throw error
        }
        return QueryServer(
            listener: listener, handler: handler, path: path, boundFile: boundFile,
            maxConnections: maxConnections, listenerErrors: listenerErrors)
    }

    /// A listening socket bound at `path`, replacing a socket file a previous run left there (but
    /// no other kind of file).
    private static func listeningSocket(at path: String) throws -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw DaemonError("the socket path \(path) is longer than a Unix socket address holds")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes + [0]) }
        var existing = stat()
        if lstat(path, &existing) == 0, existing.st_mode & S_IFMT == S_IFSOCK { unlink(path) }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else {
            throw DaemonError("cannot create the socket: \(String(cString: strerror(errno)))")
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, listen(descriptor, 256) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw DaemonError("cannot listen on \(path): \(reason)")
        }
        return descriptor
    }

    /// Connections served at once: 1,024, fewer when the descriptor limit is low, so that at least
    /// 256 descriptors stay for the store, the watcher and the files being ingested. Each connection
    /// holds one descriptor; the local clients that query use one per command (`follow` one for as
    /// long as it runs), and a thousand at once is more than any real use needs.
    static func defaultMaxConnections() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return min(1024, max(Int(clamping: limit.rlim_cur) - 256, 16))
    }

    /// Accepts connections until the listener closes, then tells `stoppedAccepting` why (after
    /// ``close()`` too) and returns once every connection has ended.
    ///
    /// The report comes as soon as accepting ends, not after the connections: a `follow` stream can
    /// stay open for days and must not hide that no new client can get in.
    func run(stoppedAccepting: @Sendable (_ reason: String) -> Void) async {
        await withDiscardingTaskGroup { group in
            do {
                let count = ConnectionCount(limit: maxConnections)
                try await listener.executeThenClose { connections in
                    // Said once each time the cap is reached, not for every connection refused.
                    var full = false
                    for try await connection in connections {
                        // Accepted and answered rather than left in the backlog: the client learns
                        // why at once, and the descriptor comes back as soon as the reply is out.
                        guard count.enter() else {
                            if !full {
                                handler.logger.warning("refusing connections: \(maxConnections) already open")
                            }
                            full = true
                            group.addTask { await handler.refuse(connection) }
                            continue
                        }
                        full = false
                        group.addTask {
                            await handler.serve(connection)
                            count.leave()
                        }
                    }
                }
                stoppedAccepting(
                    listenerErrors.last.map { "the listening socket closed; its last error: \($0)" }
                        ?? "the listening socket closed")
            } catch {
                stoppedAccepting("\(error)")
            }
            acceptLoopEnded.continuation.finish()
        }
    }

    /// Stops accepting; open connections finish on their own. The socket file goes only if it is
    /// still the one this process bound, not one a daemon started since has put in its place.
    /// Returns once the listening socket is closed, so that what follows can say nobody can connect,
    /// and ``run(stoppedAccepting:)`` has taken every connection accepted before: cancelling it
    /// earlier would drop them unserved. Call it once ``run(stoppedAccepting:)`` has been started.
    func close() async {
        if let path, let boundFile, FileIdentity(path: path) == boundFile { unlink(path) }
        // Already closed (the server stopped on its own) is as good.
        try? await listener.channel.close()
        for await _ in acceptLoopEnded.stream {}
    }
}

/// A file's device and inode, which tell it apart from another file later put at the same path.
private struct FileIdentity: Equatable, Sendable {
    var device: UInt
    var inode: UInt

    init?(path: String) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        device = UInt(status.st_dev)
        inode = UInt(status.st_ino)
    }
}

/// How many connections are open, against the limit.
private final class ConnectionCount: Sendable {
    private let open = Atomic(0)
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts a new connection if there is room for it.
    func enter() -> Bool {
        var current = open.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = open.compareExchange(
                expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func leave() {
        open.subtract(1, ordering: .relaxed)
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
