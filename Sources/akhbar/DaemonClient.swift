import AkhbarProtocol

/// A connection to `akhbard` that reports every failure as a ``ClientFailure``.
struct DaemonClient {
    /// The socket this client talks to, for messages.
    let socket: String
    private let connection: VarlinkConnection

    init(socket: String) throws(ClientFailure) {
        self.socket = socket
        do {
            connection = try VarlinkConnection(path: socket)
        } catch let error as VarlinkConnection.ConnectionError {
            throw ClientFailure.lost(socket: socket, error)
        } catch {
            throw ClientFailure(message: "cannot reach \(socket): \(error)", status: .unavailable)
        }
    }

    /// Calls a method that answers once.
    func call<P: Codable & Sendable, R: Codable & Sendable>(
        _ method: ArticlesInterface.Method, _ parameters: P, returning: R.Type = R.self
    ) throws(ClientFailure) -> R {
        do {
            return try connection.call(method.rawValue, parameters, returning: R.self)
        } catch {
            throw failure(error)
        }
    }

    /// Calls a method with `more` and hands each reply to `body` until the daemon sends the last one.
    func stream<P: Codable & Sendable, R: Codable & Sendable>(
        _ method: ArticlesInterface.Method, _ parameters: P, returning: R.Type = R.self,
        _ body: (R) throws(ClientFailure) -> Void
    ) throws(ClientFailure) {
        do {
            try connection.send(VarlinkCall(method: method.rawValue, parameters: parameters, more: true))
        } catch {
            throw failure(error)
        }
        while true {
            let reply: VarlinkReply<R>
            do {
                reply = try connection.receive(R.self)
            } catch {
                throw failure(error)
            }
            if let value = reply.parameters { try body(value) }
            if reply.continues != true { return }
        }
    }

    private func failure(_ error: any Error) -> ClientFailure {
        switch error {
        case let error as VarlinkError: ClientFailure(error)
        case let error as VarlinkConnection.ConnectionError: ClientFailure.lost(socket: socket, error)
        default: ClientFailure(message: "\(error)", status: .failedRequest)
        }
    }
}
