import AkhbarProtocol
import Foundation
import Glibc

/// A Varlink client for tests: one connection per call over the daemon's real Unix socket, the
/// parameters and replies of `io.akhbar.Articles` as the protocol's own types.
///
/// Each call waits on its socket on a thread of its own. Waiting on the cooperative pool, as it
/// once did, took a pool thread from the daemon it was waiting for: with two daemons in one test
/// process on two cores, both threads waited on replies that no thread was left to make.
public struct TestClient: Sendable {
    public let socket: String

    public init(socket: String) {
        self.socket = socket
    }

    public func search(_ query: String, limit: Int = 10, collapse: Bool = false) async throws -> [Hit] {
        let parameters = SearchParameters(query: query, limit: limit, collapse: collapse)
        return try await call("io.akhbar.Articles.Search", parameters, as: SearchReply.self).hits
    }

    public func article(_ id: Int64) async throws -> ArticleRecord {
        try await call("io.akhbar.Articles.Get", GetParameters(id: id), as: GetReply.self).article
    }

    public func stats() async throws -> StatsReply {
        try await call("io.akhbar.Articles.Stats", [String: String](), as: StatsReply.self)
    }

    /// Calls `method` and decodes its reply; a Varlink error reply throws ``TestClientError``.
    public func call<Parameters: Encodable, Reply: Decodable>(
        _ method: String, _ parameters: Parameters, as reply: Reply.Type
    ) async throws -> Reply {
        let message = try JSONEncoder().encode(VarlinkCall(method: method, parameters: parameters)) + [0]
        let data = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try exchange(message) }) }
        }
        let answer = try JSONDecoder().decode(VarlinkAnswer<Reply>.self, from: data)
        if let error = answer.error { throw TestClientError(name: error) }
        guard let parameters = answer.parameters else { throw TestClientError(name: "no parameters in the reply") }
        return parameters
    }

    /// Sends one NUL-terminated message and returns the reply without its NUL.
    private func exchange(_ message: Data) throws -> Data {
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        let connected = withUnixSocketAddress(socket) { connect(descriptor, $0, $1) }
        guard connected == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECONNREFUSED) }
        var sent = 0
        while sent < message.count {
            let count = message.withUnsafeBytes { send(descriptor, $0.baseAddress! + sent, $0.count - sent, 0) }
            guard count > 0 else { throw POSIXError(.EPIPE) }
            sent += count
        }
        var reply = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !reply.contains(0) {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { throw POSIXError(.ECONNRESET) }
            reply.append(contentsOf: buffer[0..<count])
        }
        return reply.prefix { $0 != 0 }
    }
}

private struct VarlinkCall<Parameters: Encodable>: Encodable {
    var method: String
    var parameters: Parameters
}

private struct VarlinkAnswer<Parameters: Decodable>: Decodable {
    var parameters: Parameters?
    var error: String?
}

/// A Varlink error reply, by its name.
public struct TestClientError: Error, CustomStringConvertible {
    public let name: String
    public var description: String { "the daemon replied \(name)" }
}
