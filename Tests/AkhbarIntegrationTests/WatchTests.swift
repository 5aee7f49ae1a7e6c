import AkhbarProtocol
import Foundation
import Glibc
import Testing

@Suite("Watches")
struct WatchTests {
    /// What a `follow --watch --json` child has printed so far.
    static func printed(_ follower: ChildProcess) throws -> [WatchMatch] {
        try ClientRun(status: 0, stdout: follower.stdout, stderr: "").lines(WatchMatch.self)
    }

    @Test(
        "kill -9 during a bulk ingest with 100 watches: after a restart the matches are those of an uninterrupted run, none twice"
    )
    func killDuringIngest() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        // 100 watches over marker words: single words, conjunctions, alternatives, exclusions, an
        // Arabic word in all its forms.
        var queries: [String: String] = [:]
        for index in 0..<40 { queries["one\(index)"] = "wkw\(index)" }
        for index in 0..<20 { queries["and\(index)"] = "wkw\(index) wkx\(index % 7)" }
        for index in 0..<20 { queries["or\(index)"] = "wkw\(index) OR wkx\(index % 7)" }
        for index in 0..<19 { queries["not\(index)"] = "wkw\(index) -wkx\(index % 7)" }
        queries["arabic"] = "لجنة wkw3"
        do {
            let first = try Daemon(sandbox, generation: 1)
            defer { first.stop() }
            try first.waitUntilAnswering()
            for (name, query) in queries {
                _ = try first.call(.addWatch, AddWatchParameters(name: name, query: query), returning: WatchReply.self)
            }
        }
        let total = 2_000
        for index in 0..<total {
            try sandbox.write(
                SampleArticle.text(title: "wkw\(index % 40) item\(index)", body: "wkx\(index % 7) wkx\(index % 11)"),
                to: sandbox.dropped("bulk/\(index).txt"))
        }
        var articlesAtKill = 0
        do {
            let second = try Daemon(sandbox, generation: 2)
            try second.waitUntilAnswering()
            second.eventually("part of the backlog ingested", every: .milliseconds(5)) {
                articlesAtKill = try second.stats().articles
                return articlesAtKill >= 100
            }
            second.process.send(SIGKILL)
            #expect(second.process.wait(timeout: .seconds(10)))
        }
        let third = try Daemon(sandbox, generation: 3)
        defer { third.stop() }
        try third.waitUntilAnswering()
        third.eventually("every file ingested", timeout: .seconds(120)) {
            let stats = try third.stats()
            return stats.articles == total && stats.queued == 0
        }
        var checked = 0
        for (name, query) in queries {
            let recorded = try third.call(
                .watchMatches, WatchMatchesParameters(name: name, limit: 1000, allCopies: true),
                returning: WatchMatchesReply.self
            ).matches
            let expected = try third.call(
                .testWatch, TestWatchParameters(query: query, latest: 1_000_000, limit: 1000),
                returning: WatchMatchesReply.self
            ).matches
            #expect(recorded.count == Set(recorded.map(\.article.id)).count, "\(name) recorded an article twice")
            #expect(Set(recorded.map(\.article.id)) == Set(expected.map(\.article.id)), "\(name): \(query)")
            checked += recorded.count
        }
        #expect(checked > total, "the watches matched something")
        // Cursors are unique across the kill.
        let cursors = try third.call(
            .watchMatches, WatchMatchesParameters(name: "arabic", limit: 1000, allCopies: true),
            returning: WatchMatchesReply.self
        ).matches.map(\.cursor)
        #expect(Set(cursors).count == cursors.count && !cursors.isEmpty)
        print("watches: killed after \(articlesAtKill) of \(total) articles")
        #expect(articlesAtKill > 0)
    }

    @Test("a named consumer resumes after a daemon restart and a kill -9 without a gap or a repeat")
    func consumerResumes() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let socket = ["--socket", sandbox.socket]
        func follower() throws -> ChildProcess {
            try ChildProcess(
                Binaries.client(), ["follow", "--watch", "topic", "--consumer", "mail", "--json"] + socket,
                name: "follow", in: sandbox.root)
        }
        func drop(_ index: Int) throws {
            try sandbox.write(
                SampleArticle.text(title: "consumertopic article\(index)marker"),
                to: sandbox.dropped("topic-\(index).txt"))
        }
        func titles(_ matches: [WatchMatch]) -> [String] {
            matches.map { $0.article.title.components(separatedBy: " ").last ?? "" }
        }
        var seen: [WatchMatch] = []

        var daemon = try Daemon(sandbox, generation: 1)
        try daemon.waitUntilAnswering()
        #expect(try akhbar(["watch", "add", "topic", "consumertopic"] + socket).status == 0)
        // A consumer seen for the first time starts with new matches; this one is told it has read
        // nothing, so it gets every match from the first.
        _ = try daemon.call(
            .acknowledge, AcknowledgeParameters(consumer: "mail", cursor: 0), returning: EmptyReply.self)
        try drop(0)
        try drop(1)
        var next = 2
        var reader = try follower()
        daemon.eventually("the follower printed both matches") { try Self.printed(reader).count >= 2 }
        seen += try Self.printed(reader)
        reader.send(SIGTERM)
        #expect(reader.wait(timeout: .seconds(5)))

        // Matches committed while no one reads, then a clean restart.
        for index in next..<(next + 3) { try drop(index) }
        next += 3
        daemon.eventually("three more ingested") { try daemon.stats().queued == 0 }
        daemon.stop()
        daemon = try Daemon(sandbox, generation: 2)
        try daemon.waitUntilAnswering()
        daemon.eventually("all ingested") { try daemon.stats().articles == next }
        reader = try follower()
        daemon.eventually("the follower caught up") { try Self.printed(reader).count >= 3 }
        let caughtUp = try Self.printed(reader)
        #expect(caughtUp.count == 3, "\(titles(caughtUp))")
        seen += caughtUp
        reader.send(SIGTERM)
        #expect(reader.wait(timeout: .seconds(5)))

        // Two more, then kill -9 the daemon: the acknowledged cursor is in the store.
        for index in next..<(next + 2) { try drop(index) }
        next += 2
        daemon.eventually("two more ingested") { try daemon.stats().articles == next }
        daemon.process.send(SIGKILL)
        #expect(daemon.process.wait(timeout: .seconds(10)))
        daemon = try Daemon(sandbox, generation: 3)
        defer { daemon.stop() }
        try daemon.waitUntilAnswering()
        reader = try follower()
        try drop(next)
        next += 1
        daemon.eventually("the follower got the last three") { try Self.printed(reader).count >= 3 }
        let last = try Self.printed(reader)
        seen += last
        reader.send(SIGTERM)
        #expect(reader.wait(timeout: .seconds(5)))

        let cursors = seen.map(\.cursor)
        #expect(cursors == cursors.sorted() && Set(cursors).count == cursors.count, "\(cursors)")
        #expect(Set(seen.map(\.article.id)).count == next, "every article once: \(titles(seen)) of \(next)")
    }
}
