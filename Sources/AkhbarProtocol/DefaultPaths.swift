/// Where the daemon keeps its socket and store when no flag says otherwise.
///
/// Under systemd the unit's `RuntimeDirectory=`/`StateDirectory=` win; for a normal user the
/// XDG base directories, falling back to `/run/user/UID` and `~/.local/state`; the client looks in the
/// same places so that `akhbar` finds `akhbard` with no flags.
public struct DefaultPaths: Sendable, Hashable {
    public var environment: [String: String]
    public var userID: UInt32

    public init(environment: [String: String], userID: UInt32) {
        self.environment = environment
        self.userID = userID
    }

    /// The folder for the query socket.
    public var runtimeDirectory: String {
        if let dir = firstPath(environment["RUNTIME_DIRECTORY"]) { return dir }
        if userID == 0 { return "/run/akhbar" }
        if let xdg = nonEmpty(environment["XDG_RUNTIME_DIR"]) { return xdg + "/akhbar" }
        return "/run/user/\(userID)/akhbar"
    }

    /// The folder for the store.
    public var stateDirectory: String {
        if let dir = firstPath(environment["STATE_DIRECTORY"]) { return dir }
        if userID == 0 { return "/var/lib/akhbar" }
        if let xdg = nonEmpty(environment["XDG_STATE_HOME"]) { return xdg + "/akhbar" }
        return (nonEmpty(environment["HOME"]) ?? "/tmp") + "/.local/state/akhbar"
    }

    /// The socket the daemon listens on and the client connects to. `AKHBAR_SOCKET` overrides.
    public var socket: String {
        nonEmpty(environment["AKHBAR_SOCKET"]) ?? runtimeDirectory + "/akhbar.sock"
    }

    public var store: String { stateDirectory + "/akhbar.sqlite" }

    /// The system service's socket, as `akhbard.socket` creates it.
    public static let systemSocket = "/run/akhbar/akhbar.sock"

    /// Where the client looks: `AKHBAR_SOCKET`, else the user's own daemon, else the system service's.
    public func clientSocket(exists: (String) -> Bool) -> String {
        if let explicit = nonEmpty(environment["AKHBAR_SOCKET"]) { return explicit }
        let own = runtimeDirectory + "/akhbar.sock"
        if !exists(own), exists(Self.systemSocket) { return Self.systemSocket }
        return own
    }

    // systemd passes several directories colon-separated when a unit lists several.
    private func firstPath(_ value: String?) -> String? {
        guard let value = nonEmpty(value) else { return nil }
        return value.split(separator: ":").first.map(String.init)
    }

    private func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
