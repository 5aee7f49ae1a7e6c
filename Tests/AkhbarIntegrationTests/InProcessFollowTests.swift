import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// `akhbar follow`: new articles as they are committed, and a follower that falls behind.
///
/// The daemon runs in the test's process (``withInProcessDaemon``); what blocks waits on a thread
/// of its own.
@Suite("akhbar follow")
struct InProcessFollowTests {
    @Test("follow --after prints the articles after that id from the store, then new ones as they arrive")
    func followAfter() async throws {
        try await withInProcessDaemon(seeds: true) { daemon in
            await daemon.eventually("the seeds ingested") { try await daemon.stats().articles == 5 }
            let follower = try ChildProcess(
                Binaries.client(), ["follow", "--after", "3", "--socket", daemon.sandbox.socket, "--json"],
                name: "follow",
                in: daemon.sandbox.root)
            try daemon.sandbox.write(
                SampleArticle.text(title: "followaftermarker"), to: daemon.sandbox.dropped("after.txt"))
            await daemon.eventually("follow printed after.txt") {
                try FollowTests.printed(follower).contains { $0.path?.hasSuffix("after.txt") == true }
            }
            #expect(try FollowTests.printed(follower).map(\.id) == [4, 5, 6])
            try await Self.stopCleanly(follower)
        }
    }

    @Test("a follower stopped while 14,000 articles arrive is cut off, warns, and catches up with none lost or twice")
    func followFallsBehind() async throws {
        try await withInProcessDaemon { daemon in
            let follower = try ChildProcess(
                Binaries.client(), ["follow", "--socket", daemon.sandbox.socket, "--json"], name: "follow",
                in: daemon.sandbox.root)
            try await FollowTests.waitUntilFollowing(follower, daemon: daemon)
            let before = try await daemon.stats().articles
            // A stopped follower reads nothing, like one whose output is not being read.
            follower.send(SIGSTOP)
            let bulk = SubscribeTests.bulk
            try daemon.sandbox.write(
                SubscribeTests.bulkFile(count: bulk, marker: "followbulkmarker"),
                to: daemon.sandbox.dropped("bulk.jsonl"))
            // At least: a sentinel dropped before the follower printed one may still be arriving.
            await daemon.eventually("the bulk file ingested", timeout: .seconds(300), every: .milliseconds(200)) {
                try await daemon.stats().articles >= before + bulk
            }
            try daemon.sandbox.write(
                SampleArticle.text(title: "followlastmarker"), to: daemon.sandbox.dropped("last.txt"))
            await daemon.eventually("the last file ingested") {
                try await daemon.hits(for: "followlastmarker", file: "last.txt").count == 1
            }
            follower.send(SIGCONT)

            await daemon.eventually("follow printed last.txt", timeout: .seconds(120), every: .milliseconds(100)) {
                try FollowTests.printed(follower).contains { $0.path?.hasSuffix("last.txt") == true }
            }
            // One batch: the bulk file's articles have consecutive ids.
            let ids = try FollowTests.printed(follower).filter { $0.title.contains("followbulkmarker") }.map(\.id)
            #expect(ids.count == bulk, "\(ids.count) of \(bulk) printed")
            let first = ids.first ?? 0
            #expect(ids == Array(first..<first + Int64(bulk)), "printed twice, out of order or lost")
            #expect(
                follower.stderr.contains("fell") && follower.stderr.contains("behind"), "no warning: \(follower.stderr)"
            )
            #expect(follower.isRunning)
            follower.send(SIGTERM)
            let exited = try await onOwnThread { [follower = Handed(follower)] in
                follower.value.wait(timeout: .seconds(5))
            }
            #expect(exited)
        }
    }

    @Test("follow prints each file dropped after it started, as it arrives")
    func follow() async throws {
        try await withInProcessDaemon(seeds: true) { daemon in
            await daemon.eventually("the seeds ingested") { try await daemon.stats().articles == 5 }
            let follower = try ChildProcess(
                Binaries.client(), ["follow", "--socket", daemon.sandbox.socket, "--json"], name: "follow",
                in: daemon.sandbox.root
            )
            try await FollowTests.waitUntilFollowing(follower, daemon: daemon)

            for name in ["first", "second"] {
                try daemon.sandbox.write(
                    SampleArticle.text(title: "follow\(name)marker"), to: daemon.sandbox.dropped("\(name).txt"))
                await daemon.eventually("follow printed \(name).txt") {
                    try FollowTests.printed(follower).contains {
                        $0.path.map { URL(fileURLWithPath: $0).lastPathComponent } == "\(name).txt"
                    }
                }
            }
            let printed = try FollowTests.printed(follower).filter { !$0.title.contains(FollowTests.sentinel) }
            #expect(
                printed.count == 2, "follow printed articles that were there before it started: \(printed.map(\.title))"
            )
            #expect(follower.isRunning)

            try await Self.stopCleanly(follower)
        }
    }

    /// Stops a follower with SIGTERM: it must exit within five seconds and have written nothing
    /// to stderr.
    private static func stopCleanly(_ follower: ChildProcess) async throws {
        follower.send(SIGTERM)
        let exited = try await onOwnThread { [follower = Handed(follower)] in
            follower.value.wait(timeout: .seconds(5))
        }
        #expect(exited, "follow ignored SIGTERM")
        #expect(follower.stderr.isEmpty, "follow wrote to stderr: \(follower.stderr)")
    }
}
