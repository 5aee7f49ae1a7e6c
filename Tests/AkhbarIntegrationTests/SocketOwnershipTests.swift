import Foundation
import Glibc
import Testing

@Suite("Socket ownership")
struct SocketOwnershipTests {
    @Test("a daemon that stops leaves alone a socket file that another process bound at its path since")
    func foreignSocketSurvivesStop() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let daemon = try Daemon(sandbox)
        try daemon.waitUntilAnswering()

        // What a second daemon started on the same path does: replace the file with its own socket.
        unlink(sandbox.socket)
        let successor = try boundUnixSocket(at: sandbox.socket)
        defer { close(successor) }
        var bound = stat()
        #expect(lstat(sandbox.socket, &bound) == 0)

        daemon.stop()
        var after = stat()
        #expect(lstat(sandbox.socket, &after) == 0, "the stopping daemon unlinked the socket another process bound")
        #expect(after.st_ino == bound.st_ino && after.st_dev == bound.st_dev)
    }

    @Test("a daemon that stops removes its own socket file")
    func ownSocketRemoved() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let daemon = try Daemon(sandbox)
        try daemon.waitUntilAnswering()
        daemon.stop()
        var status = stat()
        #expect(lstat(sandbox.socket, &status) != 0 && errno == ENOENT)
    }
}
