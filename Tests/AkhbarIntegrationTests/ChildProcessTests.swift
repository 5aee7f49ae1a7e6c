import Foundation
import Glibc
import Testing

/// The children the tests start see the test process's descriptors only where a test hands one on.
@Suite("Child processes")
struct ChildProcessTests {
    @Test("a child inherits no descriptor the test process did not mark close-on-exec, except a passed listener")
    func inheritsNothing() throws {
        // High numbers, out of the way of whatever the child itself opens.
        let plain = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        try #require(plain >= 0)
        defer { close(plain) }
        let leaked: Int32 = 900
        try #require(dup2(plain, leaked) == leaked)
        defer { close(leaked) }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("akhbar-child-\(UUID())")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }

        let child = try ChildProcess(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", "test -e /proc/self/fd/\(leaked) && echo leaked; test -e /proc/self/fd/3 && echo passed"],
            name: "fds", in: root, passing: plain)
        #expect(child.wait(timeout: .seconds(10)))
        #expect(child.status == 0, "\(child.tail())")
        #expect(child.stdout == "passed\n", "descriptors the child saw: \(child.stdout)")
    }
}
