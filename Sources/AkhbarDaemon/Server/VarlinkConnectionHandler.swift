import AkhbarProtocol
import Foundation
import Logging
import NIOCore
import Systemd

/// Serves one client connection: calls in order, replies in order, streams for `more` calls.
struct VarlinkConnectionHandler {
    let service: ArticlesService
    let logger: Logger

    private struct CallHeader: Decodable {
        var method: String
        var oneway: Bool?
        var more: Bool?
        var upgrade: Bool?
    }

    private struct AnyParameters: Decodable {}

    func serve(_ connection: NIOAsyncChannel<VarlinkFrameDecoder.Frame, ByteBuffer>) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var messages = inbound.makeAsyncIterator()
                while let frame = try await messages.next() {
                    guard case .message(let buffer) = frame else {
                        try await send(
                            error: .invalidMessage("message exceeds \(VarlinkFraming.maxMessageSize) bytes"),
                            to: outbound)
                        return
                    }
                    let data = Data(buffer.readableBytesView)
                    guard let header = try? JSONDecoder().decode(CallHeader.self, from: data) else {
                        try await send(
                            error: .invalidMessage("not a Varlink call: expected a JSON object with a method"),
                            to: outbound)
                        return
                    }
                    if header.upgrade == true {
                        try await send(error: .invalidMessage("this service has no upgradable methods"), to: outbound)
                        return
                    }
                    var call = IncomingCall(
                        method: header.method, body: data, more: header.more ?? false, oneway: header.oneway ?? false)
                    if service.isPrivileged(call.method) { call.peer = await Self.credentials(of: connection.channel) }
                    do {
                        // After a stream's last reply the connection serves further calls: closing it
                        // at once could drop the replies a slow reader has not taken yet.
                        if let stream = try service.stream(call) {
                            try await relay(stream, to: outbound, closed: connection.channel.closeFuture)
                        } else {
                            let reply = try await service.handle(call)
                            if !call.oneway { try await outbound.write(Self.frame(reply)) }
                        }
                    } catch let error as VarlinkError {
                        if !call.oneway { try await send(error: error, to: outbound) }
                    }
                    // The idle clock starts again only now: a slow call is not an idle connection.
                    connection.channel.triggerUserOutboundEvent(ConnectionDeadlines.CallEnded(), promise: nil)
                }
            }
        } catch {
            logger.debug("connection ended", metadata: ["reason": "\(error)"])
        }
    }

    /// Answers a connection the daemon has no room for with ``VarlinkError/tooManyConnections`` and
    /// closes it.
    func refuse(_ connection: NIOAsyncChannel<VarlinkFrameDecoder.Frame, ByteBuffer>) async {
        do {
            try await connection.executeThenClose { _, outbound in
                try await send(error: .tooManyConnections, to: outbound)
            }
        } catch {
            logger.debug("a refused connection ended", metadata: ["reason": "\(error)"])
        }
    }

    /// Runs a `more` call until it ends or the client closes the connection. A stream that cannot
    /// end with a last reply (a subscription when the daemon stops) throws to close the connection.
    private func relay(
        _ stream: @escaping @Sendable (ArticlesService.ReplyWriter) async throws -> Void,
        to outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, closed: EventLoopFuture<Void>
    ) async throws {
        // Waiting on the future itself could not be cancelled once the stream ends first.
        let (closing, signal) = AsyncStream<Void>.makeStream()
        closed.whenComplete { _ in signal.finish() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await stream { try await outbound.write(Self.frame($0)) } }
            group.addTask { for await _ in closing {} }
            try await group.next()
            group.cancelAll()
        }
    }

    private func send(error: VarlinkError, to outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        try await outbound.write(Self.frame(Self.encode(error)))
    }

    /// Who is on the other end of a Unix socket (SO_PEERCRED), or nil if it cannot be told.
    private static func credentials(of channel: any Channel) async -> PeerCredentials? {
        guard let provider = channel as? any SocketOptionProvider else { return nil }
        let raw: PeerCredentials.Raw? = try? await provider.unsafeGetSocketOption(
            level: .init(rawValue: SOL_SOCKET), name: .init(rawValue: SO_PEERCRED)
        ).get()
        return raw.map(PeerCredentials.init(raw:))
    }

    static func encode(_ error: VarlinkError) -> Data {
        (try? JSONEncoder().encode(VarlinkReply(parameters: error.parameters, error: error.name))) ?? Data()
    }

    static func frame(_ data: Data) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(data.count + 1)
        buffer.writeBytes(data)
        buffer.writeInteger(VarlinkFraming.terminator)
        return buffer
    }
}

/// A decoded call on its way to the service.
struct IncomingCall: Sendable {
    var method: String
    /// The whole message, decoded again with the method's parameter type.
    var body: Data
    var more: Bool
    var oneway: Bool
    /// The caller's credentials, read only for methods that change state.
    var peer: PeerCredentials?

    /// The parameters of a method whose parameters are all optional: `empty` when the call has none.
    func optionalParameters<P: Codable & Sendable>(_ empty: P) throws(VarlinkError) -> P {
        do {
            return try parameters(P.self)
        } catch let error where error == .invalidParameter("parameters") && !hasParameters {
            return empty
        }
    }

    /// Whether the call carries a `parameters` member that is not null.
    private var hasParameters: Bool {
        struct Probe: Decodable {
            var parameters: Ignored?
        }
        struct Ignored: Decodable {
            init(from decoder: any Decoder) throws {}
        }
        return (try? JSONDecoder().decode(Probe.self, from: body))?.parameters != nil
    }

    func parameters<P: Codable & Sendable>(_ type: P.Type) throws(VarlinkError) -> P {
        do {
            guard let parameters = try JSONDecoder().decode(VarlinkCall<P>.self, from: body).parameters else {
                throw VarlinkError.invalidParameter("parameters")
            }
            return parameters
        } catch let error as VarlinkError {
            throw error
        } catch DecodingError.keyNotFound(let key, _) {
            throw VarlinkError.invalidParameter(key.stringValue)
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            throw VarlinkError.invalidParameter(context.codingPath.last?.stringValue ?? "parameters")
        } catch {
            throw VarlinkError.invalidParameter("parameters")
        }
    }
}
