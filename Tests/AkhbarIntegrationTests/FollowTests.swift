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

    @Test("follow --after prints the articles after that id from the store, then new ones as they arrive")
    func followAfter() throws {
        try withDaemon(seeds: true) { daemon in
            daemon.eventually("the seeds ingested") { try daemon.stats().articles == 5 }
            let follower = try ChildProcess(
                Binaries.client(), ["follow", "--after", "3", "--socket", daemon.sandbox.socket, "--json"],
                name: "follow",
                in: daemon.sandbox.root)
            try daemon.sandbox.write(
                SampleArticle.text(title: "followaftermarker"), to: daemon.sandbox.dropped("after.txt"))
            daemon.eventually("follow printed after.txt") {
                try Self.printed(follower).contains { $0.path?.hasSuffix("after.txt") == true }
            }
            #expect(try Self.printed(follower).map(\.id) == [4, 5, 6])
            follower.send(SIGTERM)
            #expect(follower.wait(timeout: .seconds(5)), "follow ignored SIGTERM")
            #expect(follower.stderr.isEmpty, "follow wrote to stderr: \(follower.stderr)")
        }
    }

    @Test("a follower stopped while 14,000 articles arrive is cut off, warns, and catches up with none lost or twice")
    func followFallsBehind() throws {
        try withDaemon { daemon in
            let follower = try ChildProcess(
                Binaries.client(), ["follow", "--socket", daemon.sandbox.socket, "--json"], name: "follow",
                in: daemon.sandbox.root)
            try Self.waitUntilFollowing(follower, daemon: daemon)
            let before = try daemon.stats().articles
            // A stopped follower reads nothing, like one whose output is not being read.
            follower.send(SIGSTOP)
            let bulk = SubscribeTests.bulk
            try daemon.sandbox.write(
                SubscribeTests.bulkFile(count: bulk, marker: "followbulkmarker"),
                to: daemon.sandbox.dropped("bulk.jsonl"))
            // At least: a sentinel dropped before the follower printed one may still be arriving.
            daemon.eventually("the bulk file ingested", timeout: .seconds(300), every: .milliseconds(200)) {
                try daemon.stats().articles >= before + bulk
            }
            try daemon.sandbox.write(
                SampleArticle.text(title: "followlastmarker"), to: daemon.sandbox.dropped("last.txt"))
            daemon.eventually("the last file ingested") {
                try daemon.hits(for: "followlastmarker", file: "last.txt").count == 1
            }
            follower.send(SIGCONT)

            daemon.eventually("follow printed last.txt", timeout: .seconds(120), every: .milliseconds(100)) {
                try Self.printed(follower).contains { $0.path?.hasSuffix("last.txt") == true }
            }
            // One batch: the bulk file's articles have consecutive ids.
            let ids = try Self.printed(follower).filter { $0.title.contains("followbulkmarker") }.map(\.id)
            #expect(ids.count == bulk, "\(ids.count) of \(bulk) printed")
            let first = ids.first ?? 0
            #expect(ids == Array(first..<first + Int64(bulk)), "printed twice, out of order or lost")
            #expect(
                follower.stderr.contains("fell") && follower.stderr.contains("behind"), "no warning: \(follower.stderr)"
            )
            #expect(follower.isRunning)
            follower.send(SIGTERM)
            #expect(follower.wait(timeout: .seconds(5)))
        }
    }

    @Test("follow --after refuses a negative id as a usage error")
    func followAfterNegative() throws {
        let run = try akhbar(["follow", "--after", "-1", "--socket", "/nonexistent/s.sock"])
        #expect(run.status == 2, "\(run.stderr)")
    }

    @Test("follow prints each file dropped after it started, as it arrives")
    func follow() throws {
        try withDaemon(seeds: true) { daemon in
            daemon.eventually("the seeds ingested") { try daemon.stats().articles == 5 }
            let follower = try ChildProcess(
                Binaries.client(), ["follow", "--socket", daemon.sandbox.socket, "--json"], name: "follow",
                in: daemon.sandbox.root
            )
            try Self.waitUntilFollowing(follower, daemon: daemon)

            for name in ["first", "second"] {
                try daemon.sandbox.write(
                    SampleArticle.text(title: "follow\(name)marker"), to: daemon.sandbox.dropped("\(name).txt"))
                daemon.eventually("follow printed \(name).txt") {
                    try Self.printed(follower).contains {
                        $0.path.map { URL(fileURLWithPath: $0).lastPathComponent } == "\(name).txt"
                    }
                }
            }
            let printed = try Self.printed(follower).filter { !$0.title.contains(Self.sentinel) }
            #expect(
                printed.count == 2, "follow printed articles that were there before it started: \(printed.map(\.title))"
            )
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
        try Self.waitUntilFollowing(follower, daemon: daemon)

        // An open subscription must not hold up shutdown: systemd would otherwise wait, then SIGKILL.
        daemon.stop(timeout: .seconds(10))
        #expect(follower.wait(timeout: .seconds(5)), "follow kept running after the daemon stopped")
        #expect(!follower.terminatedBySignal && follower.status == 69, "follow ended with \(follower.status)")
        #expect(follower.stderr.hasPrefix("akhbar: "), "\(follower.stderr)")
    }
}
