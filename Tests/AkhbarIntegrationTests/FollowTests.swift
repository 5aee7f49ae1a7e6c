import AkhbarProtocol
import Foundation
import Glibc
import Testing

@Suite("akhbar follow")
struct FollowTests {
    @Test("follow prints each file dropped after it started, as it arrives")
    func follow() throws {
        try withDaemon(seeds: true) { daemon in
            daemon.eventually("the seeds ingested") { try daemon.stats().articles == 5 }
            let follower = try ChildProcess(
                Binaries.client(), ["follow", "--socket", daemon.sandbox.socket, "--json"], name: "follow", in: daemon.sandbox.root
            )
            // The subscription has no handshake to observe; a client connects in far less than this.
            usleep(1_000_000)
            #expect(follower.isRunning, "follow exited early: \(follower.tail())")

            for name in ["first", "second"] {
                try daemon.sandbox.write(SampleArticle.text(title: "follow\(name)marker"), to: daemon.sandbox.dropped("\(name).txt"))
                daemon.eventually("follow printed \(name).txt") {
                    try ClientRun(status: 0, stdout: follower.stdout, stderr: "").lines(Summary.self)
                        .contains { $0.path.map { URL(fileURLWithPath: $0).lastPathComponent } == "\(name).txt" }
                }
            }
            let printed = try ClientRun(status: 0, stdout: follower.stdout, stderr: "").lines(Summary.self)
            #expect(printed.count == 2, "follow printed articles that were there before it started: \(printed.map(\.title))")
            #expect(follower.isRunning)

            follower.send(SIGTERM)
            #expect(follower.wait(timeout: .seconds(5)), "follow ignored SIGTERM")
            #expect(follower.stderr.isEmpty, "follow wrote to stderr: \(follower.stderr)")
        }
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
        usleep(1_000_000)
        #expect(follower.isRunning, "follow exited early: \(follower.tail())")

        // An open subscription must not hold up shutdown: systemd would otherwise wait, then SIGKILL.
        daemon.stop(timeout: .seconds(10))
        #expect(follower.wait(timeout: .seconds(5)), "follow kept running after the daemon stopped")
        #expect(!follower.terminatedBySignal && follower.status == 69, "follow ended with \(follower.status)")
        #expect(follower.stderr.hasPrefix("akhbar: "), "\(follower.stderr)")
    }
}
