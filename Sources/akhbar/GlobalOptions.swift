#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import AkhbarProtocol
import ArgumentParser
import Foundation

/// Options every command understands, before or after the command's name.
struct GlobalOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The daemon's socket. Default: $AKHBAR_SOCKET, else akhbar.sock in the daemon's runtime directory.",
            valueName: "path"
        )
    )
    var socket: String?

    /// The socket to use: the flag, else the same default the daemon binds.
    var socketPath: String {
        if let socket, !socket.isEmpty { return socket }
        return DefaultPaths(environment: ProcessInfo.processInfo.environment, userID: getuid()).socket
    }

    func connect() throws(ClientFailure) -> DaemonClient {
        try DaemonClient(socket: socketPath)
    }
}
