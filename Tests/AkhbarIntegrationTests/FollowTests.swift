import AkhbarProtocol
import Foundation
import Glibc
import Testing

@Suite("akhbar follow")
struct FollowTests {
    /// In the titles of the articles that show a follower is subscribed.
    static let sentinel = "followsentinel"

    /// What `follower` has printed so far.
    static func printed(_ follower: ChildProcess) throws -> [Summary] {
        try ClientRun(status: 0, stdout: follower.stdout, stderr: "").lines(Summary.self)
    }

    /// Drops a new sentinel article at every poll until `follower` prints one: then its
    /// subscription is in place, and everything committed from now on reaches it.
    static func waitUntilFollowing(
        _ follower: ChildProcess, daemon: Daemon, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var dropped = 0
        let following = daemon.eventually(
            "follow printed a sentinel", every: .milliseconds(100), sourceLocation: sourceLocation
        ) {
            guard follower.isRunning else { throw Failure("follow exited early: \(follower.tail())") }
            if try printed(follower).contains(where: { $0.title.contains(sentinel) }) { return true }
            try daemon.sandbox.write(
                SampleArticle.text(title: "\(sentinel)\(dropped)marker"),
                to: daemon.sandbox.dropped("sentinel-\(dropped).txt"))
            dropped += 1
            return false
        }
        guard following else { throw Failure("follow never subscribed") }
    }

    /// The same wait with the daemon in this process.
    static func waitUntilFollowing(
        _ follower: ChildProcess, daemon: InProcessDaemon, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        var dropped = 0
        let following = await daemon.eventually(
            "follow printed a sentinel", every: .milliseconds(100), sourceLocation: sourceLocation
        ) {
            guard follower.isRunning else { throw Failure("follow exited early: \(follower.tail())") }
            if try printed(follower).contains(where: { $0.title.contains(sentinel) }) { return true }
            try daemon.sandbox.write(
                SampleArticle.text(title: "\(sentinel)\(dropped)marker"),
                to: daemon.sandbox.dropped("sentinel-\(dropped).txt"))
            dropped += 1
            return false
        }
        guard following else { throw Failure("follow never subscribed") }
    }

    @Test("follow --after refuses a negative id as a usage error")
    func followAfterNegative() throws {
        let run = try akhbar(["follow", "--after", "-1", "--socket", "/nonexistent/s.sock"])
        #expect(run.status == 2, "\(run.stderr)")
    }

    @Test("SIGTERM with a follower attached: akhbard still exits 0 promptly, follow reports it gone with 69")
    func daemonStopsWhileFollowed() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let daemon = try Daemon(sandbox)
        try daemon.waitUntilAnswering()
        let follower = try ChildProcess(
            Binaries.client(), ["follow", "--socket", sandbox.socket, "--json"], name: "follow", in: sandbox.root
        )
        try Self.waitUntilFollowing(follower, daemon: daemon)

        // An open subscription must not hold up shutdown: systemd would otherwise wait, then SIGKILL.
        daemon.stop(timeout: .seconds(10))
        #expect(follower.wait(timeout: .seconds(5)), "follow kept running after the daemon stopped")
        #expect(!follower.terminatedBySignal && follower.status == 69, "follow ended with \(follower.status)")
        #expect(follower.stderr.hasPrefix("akhbar: "), "\(follower.stderr)")
    }
}
