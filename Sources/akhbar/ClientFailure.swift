import AkhbarProtocol

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why a command could not do what was asked, worded for the person who typed it.
///
/// The root command prints ``message`` as one line on standard error and exits with ``status``.
struct ClientFailure: Error, Equatable {
    var message: String
    var status: ExitStatus

    init(message: String, status: ExitStatus) {
        self.message = message
        self.status = status
    }

    /// Nothing listens on the socket: say where we looked and how to get a daemon there.
    static func unreachable(socket: String, errno code: Int32) -> ClientFailure {
        ClientFailure(
            message: "no daemon at \(socket) (\(describe(errno: code))); start it with `akhbard --drop DIR`, "
                + "or set --socket/AKHBAR_SOCKET",
            status: .unavailable
        )
    }

    /// The daemon was reached but the conversation broke off.
    static func lost(socket: String, _ error: VarlinkConnection.ConnectionError) -> ClientFailure {
        switch error {
        case .cannotConnect(let path, let code):
            unreachable(socket: path, errno: code)
        case .closed, .io:
            ClientFailure(message: "lost the daemon at \(socket): \(error)", status: .unavailable)
        case .malformedReply:
            // A daemon that answers gibberish is reachable; it is the request that failed.
            ClientFailure(message: "the daemon at \(socket) sent a \(error)", status: .failedRequest)
        }
    }

    /// An error reply from the daemon.
    init(_ error: VarlinkError) {
        switch error.name {
        case VarlinkError.invalidQuery("").name:
            message = "invalid query: \(error.parameters["reason"] ?? "no reason given")"
        case VarlinkError.articleNotFound(0).name:
            message = "no article with id \(error.parameters["id"] ?? "?")"
        case VarlinkError.sourceNotFound(id: 0, source: 0, sources: 0).name:
            let count = error.parameters["sources"] ?? "?"
            message =
                "article \(error.parameters["id"] ?? "?") has \(count) source\(count == "1" ? "" : "s"), "
                + "no source \(error.parameters["source"] ?? "?"); `akhbar show ID` numbers them"
        case VarlinkError.fileNotKept(id: 0, source: 0).name:
            message =
                "the file of source \(error.parameters["source"] ?? "?") was not kept: it was ingested before the "
                + "store kept dropped files; `akhbar show \(error.parameters["id"] ?? "ID") --raw` prints its text"
        case VarlinkError.permissionDenied.name:
            message = "permission denied: only root and the daemon's own user may do this"
        case VarlinkError.watchNotFound("").name:
            message = "no watch named \(error.parameters["name"] ?? "?"); `akhbar watch list` lists them"
        case VarlinkError.watchExists("").name:
            message = "a watch named \(error.parameters["name"] ?? "?") exists already; remove it first to change it"
        case VarlinkError.invalidWatch("").name:
            message = error.parameters["reason"] ?? "the watch was refused"
        case VarlinkError.storeUnavailable("").name:
            message = "the store is unavailable: \(error.parameters["reason"] ?? "no reason given")"
        default:
            message = "the daemon refused the request: \(error)"
        }
        status = .failedRequest
    }

    // "Connection refused" reads better mid-sentence as "connection refused".
    private static func describe(errno code: Int32) -> String {
        let text = String(cString: strerror(code))
        guard let first = text.first else { return "error \(code)" }
        return first.lowercased() + text.dropFirst()
    }
}
