import AkhbarProtocol
import Testing

@Suite("Default paths")
struct DefaultPathsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var environment: [String: String]
        var userID: UInt32
        var socket: String
        var testDescription: String { label }
    }

    static let socketCases: [Case] = [
        Case(
            label: "AKHBAR_SOCKET beats everything",
            environment: [
                "AKHBAR_SOCKET": "/tmp/a.sock", "RUNTIME_DIRECTORY": "/run/akhbar", "XDG_RUNTIME_DIR": "/run/user/1000",
            ],
            userID: 1000, socket: "/tmp/a.sock"),
        Case(
            label: "systemd's RUNTIME_DIRECTORY beats root and XDG",
            environment: ["RUNTIME_DIRECTORY": "/run/svc", "XDG_RUNTIME_DIR": "/run/user/0"], userID: 0,
            socket: "/run/svc/akhbar.sock"),
        Case(
            label: "the first of several RUNTIME_DIRECTORY entries",
            environment: ["RUNTIME_DIRECTORY": "/run/one:/run/two"], userID: 1000, socket: "/run/one/akhbar.sock"),
        Case(
            label: "root uses /run/akhbar even with XDG_RUNTIME_DIR",
            environment: ["XDG_RUNTIME_DIR": "/run/user/0"], userID: 0, socket: "/run/akhbar/akhbar.sock"),
        Case(
            label: "a user uses XDG_RUNTIME_DIR",
            environment: ["XDG_RUNTIME_DIR": "/run/user/1000"], userID: 1000,
            socket: "/run/user/1000/akhbar/akhbar.sock"),
        Case(
            label: "a user without XDG_RUNTIME_DIR falls back to /run/user/UID",
            environment: [:], userID: 1000, socket: "/run/user/1000/akhbar/akhbar.sock"),
        Case(
            label: "empty variables count as unset",
            environment: ["AKHBAR_SOCKET": "", "RUNTIME_DIRECTORY": "", "XDG_RUNTIME_DIR": ""], userID: 1001,
            socket: "/run/user/1001/akhbar/akhbar.sock"),
    ]

    @Test("socket precedence", arguments: socketCases)
    func socket(_ example: Case) {
        #expect(DefaultPaths(environment: example.environment, userID: example.userID).socket == example.socket)
    }

    @Test("store precedence")
    func store() {
        #expect(
            DefaultPaths(environment: ["STATE_DIRECTORY": "/var/lib/svc:/x", "XDG_STATE_HOME": "/h/s"], userID: 0).store
                == "/var/lib/svc/akhbar.sqlite")
        #expect(
            DefaultPaths(environment: ["XDG_STATE_HOME": "/h/s"], userID: 0).store == "/var/lib/akhbar/akhbar.sqlite")
        #expect(
            DefaultPaths(environment: ["XDG_STATE_HOME": "/h/s", "HOME": "/h"], userID: 1000).store
                == "/h/s/akhbar/akhbar.sqlite")
        #expect(DefaultPaths(environment: ["HOME": "/h"], userID: 1000).store == "/h/.local/state/akhbar/akhbar.sqlite")
    }
}
