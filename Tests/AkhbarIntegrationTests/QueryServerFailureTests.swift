import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// A query server that stops accepting on its own must not leave akhbard ingesting where no client
/// can reach it. Under socket activation that failure is worse than a refused connection: systemd
/// still holds the listening socket, so clients connect and then wait forever. akhbard must stop
/// as for SIGTERM, committing what it has, and exit with a failure for `Restart=on-failure`.
@Suite("The query server failing")
struct QueryServerFailureTests {
    @Test("akhbard stops with a failure, keeping every article, when it can no longer accept")
    func acceptFails() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.write(SampleArticle.text(title: "acceptfailfirstmarker"), to: sandbox.dropped("first.txt"))
        do {
            // The test holds the listening socket, as systemd does for akhbard.socket. Closed before
            // the restart below: a client would otherwise connect to it and wait for an answer forever.
            let listener = try Self.listen(at: sandbox.socket)
            defer { close(listener) }
            let daemon = try ChildProcess(
                URL(fileURLWithPath: "/usr/bin/env"),
                [
                    "python3", "-c", Self.withoutAccept, try Binaries.daemon().path,
                    "--drop", sandbox.drop.path, "--store", sandbox.store.path, "--log-level", "debug",
                ],
                name: "akhbard-1", in: sandbox.root, environment: ["LISTEN_FDS": "1"], passing: listener)
            try Self.waitForLog(of: daemon, ["ready;"])
            #expect(daemon.stderr.contains("fd 3 from systemd"), "the socket was not adopted\n\(daemon.tail())")
            try sandbox.write(SampleArticle.text(title: "acceptfailsecondmarker"), to: sandbox.dropped("second.txt"))
            try Self.waitForLog(of: daemon, ["ingested", "second.txt"])

            // The first client makes the daemon accept, which fails.
            _ = try VarlinkConnection(path: sandbox.socket)
            if !daemon.wait(timeout: .seconds(10)) {
                Issue.record("akhbard still runs 10 s after its query server stopped accepting\n\(daemon.tail())")
                daemon.send(SIGKILL)
                daemon.wait(timeout: .seconds(5))
            } else {
                #expect(
                    !daemon.terminatedBySignal && daemon.status != 0,
                    "akhbard should exit with a failure, got \(daemon.terminatedBySignal ? "signal" : "status") \(daemon.status)\n\(daemon.tail())"
                )
                let log = daemon.stderr
                #expect(
                    log.contains("the query server stopped accepting connections")
                        && log.contains("Operation not permitted"),
                    "the log does not say why akhbard stopped\n\(daemon.tail())")
                #expect(log.contains("info stopped"), "akhbard did not finish its shutdown\n\(daemon.tail())")
            }
        }

        // An empty drop folder, so that what the restarted daemon finds can only come from the store.
        let empty = sandbox.root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let restarted = try Daemon(
            sandbox, generation: 2,
            arguments: ["--drop", empty.path, "--store", sandbox.store.path, "--socket", sandbox.socket])
        defer { restarted.stop() }
        try restarted.waitUntilAnswering()
        #expect(try restarted.stats().articles == 2)
        #expect(try restarted.search("acceptfailfirstmarker").count == 1)
        #expect(try restarted.search("acceptfailsecondmarker").count == 1)
    }

    /// Runs its arguments with accept(2) and accept4(2) failing with EPERM, as a unit's
    /// `SystemCallFilter=~accept accept4` with `SystemCallErrorNumber=EPERM` would, and with
    /// `LISTEN_PID` naming that process for socket activation.
    ///
    /// Why not break the listener from the test's side: shutdown(2) on the shared listening socket
    /// makes epoll report a hang-up, and NIO (2.101) then traps on a failed precondition in its
    /// event loop; a crash, not the end of the accept loop this test is about. Closing the test's
    /// copy changes nothing for the daemon's. A failing accept is what NIO treats as fatal for a
    /// listener: it closes it and ends the stream of connections.
    private static let withoutAccept = """
        import ctypes, os, platform, struct, sys
        arch, accept, accept4 = {"x86_64": (0xC000003E, 43, 288), "aarch64": (0xC00000B7, 202, 242)}[platform.machine()]
        load, equal, ret = 0x20, 0x15, 0x06
        def op(code, k, yes=0, no=0): return struct.pack("HBBI", code, yes, no, k)
        program = b"".join([
            op(load, 4), op(equal, arch, 0, 4),
            op(load, 0), op(equal, accept, 1, 0), op(equal, accept4, 0, 1),
            op(ret, 0x00050000 | 1),  # SECCOMP_RET_ERRNO | EPERM
            op(ret, 0x7FFF0000),  # SECCOMP_RET_ALLOW
        ])
        class Program(ctypes.Structure): _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]
        libc = ctypes.CDLL(None, use_errno=True)
        # PR_SET_NO_NEW_PRIVS, then PR_SET_SECCOMP with SECCOMP_MODE_FILTER
        if libc.prctl(38, 1, 0, 0, 0) or libc.prctl(22, 2, ctypes.byref(Program(len(program) // 8, program)), 0, 0):
            sys.exit("cannot install the seccomp filter: " + os.strerror(ctypes.get_errno()))
        os.environ["LISTEN_PID"] = str(os.getpid())
        os.execv(sys.argv[1], sys.argv[1:])
        """

    /// A listening Unix socket at `path`, close-on-exec so that only the child it is passed to gets it.
    private static func listen(at path: String) throws -> Int32 {
        let descriptor = try boundUnixSocket(at: path, flags: Int32(SOCK_CLOEXEC.rawValue))
        guard Glibc.listen(descriptor, 16) == 0 else {
            let code = errno
            close(descriptor)
            throw Failure("cannot listen at \(path): errno \(code)")
        }
        return descriptor
    }

    /// Waits for a line of `child`'s log holding every one of `words`.
    private static func waitForLog(of child: ChildProcess, _ words: [String], timeout: Duration = .seconds(60)) throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if child.stderr.split(separator: "\n").contains(where: { line in words.allSatisfy { line.contains($0) } }) {
                return
            }
            guard child.isRunning else {
                throw Failure("akhbard exited (status \(child.status)) before logging \(words)\n\(child.tail())")
            }
            usleep(20_000)
        }
        throw Failure("akhbard did not log \(words) within \(timeout)\n\(child.tail())")
    }
}
