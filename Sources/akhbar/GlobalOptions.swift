import AkhbarProtocol
import ArgumentParser
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Options every command understands, before or after the command's name.
struct GlobalOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The daemon's socket. Default: $AKHBAR_SOCKET, else akhbar.sock in your own daemon's runtime directory, else the system service's /run/akhbar/akhbar.sock.",
            valueName: "path"
        )
    )
    var socket: String?

    /// The socket to use: the flag, else the user's own daemon, else the system service.
    var socketPath: String {
        if let socket, !socket.isEmpty { return socket }
        return DefaultPaths(environment: ProcessInfo.processInfo.environment, userID: getuid())
            .clientSocket(exists: { FileManager.default.fileExists(atPath: $0) })
    }

    func connect() throws(ClientFailure) -> DaemonClient {
        try DaemonClient(socket: socketPath)
    }
}
