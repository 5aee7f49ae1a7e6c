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

    @Test("watch add, list, show, test and rm round trip through the client, with clear errors")
    func clientRoundTrips() throws {
        try withDaemon(seeds: true) { daemon in
            daemon.eventually("the seeds ingested") { try daemon.stats().articles == 5 }
            let socket = ["--socket", daemon.sandbox.socket]
            let added = try akhbar(["watch", "add", "libya", "ليبيا", "-واشنطن", "--note", "desk", "--json"] + socket)
            #expect(added.status == 0, "\(added.stderr)")
            let watch = try added.object(WatchInfo.self)
            #expect(watch.name == "libya" && watch.query == "ليبيا -واشنطن" && watch.note == "desk")

            // An invalid query is refused with the words search uses.
            let search = try akhbar(["search", "(ليبيا"] + socket)
            let refused = try akhbar(["watch", "add", "broken", "(ليبيا"] + socket)
            #expect(refused.status == 1 && search.status == 1)
            #expect(refused.stderr == search.stderr && refused.stderr.contains("character 1"), "\(refused.stderr)")
            let twice = try akhbar(["watch", "add", "libya", "طرابلس"] + socket)
            #expect(twice.status == 1 && twice.stderr.contains("exists already"), "\(twice.stderr)")
            let badName = try akhbar(["watch", "add", "a,b", "طرابلس"] + socket)
            #expect(badName.status == 2, "\(badName.stderr)")

            // What it would have matched among the seeds: those that name Libya but not Washington.
            let tested = try akhbar(["watch", "test", "ليبيا", "-واشنطن", "-n", "10", "--json"] + socket)
            let wouldMatch = try tested.lines(WatchMatch.self)
            #expect(!wouldMatch.isEmpty && wouldMatch.count < 5, "\(tested.stdout)")
            #expect(wouldMatch.allSatisfy { !$0.article.title.contains("واشنطن") })

            // A new article matches at once; list and show say so.
            try daemon.sandbox.write(
                SampleArticle.text(title: "watchroundtripmarker ليبيا"), to: daemon.sandbox.dropped("new.txt"))
            daemon.eventually("the new article matched") {
                try akhbar(["watch", "list", "--json"] + socket).lines(WatchInfo.self).first?.matches == 1
            }
            let listed = try akhbar(["watch", "list", "--json"] + socket).lines(WatchInfo.self)
            #expect(listed.count == 1 && listed[0].lastMatch != nil)
            let shown = try akhbar(["watch", "show", "libya", "--json"] + socket).lines(WatchMatch.self)
            #expect(shown.map { $0.article.path?.hasSuffix("new.txt") } == [true])
            #expect(shown.first?.highlights.isEmpty == false, "the snippet marks the watched word")
            #expect(try daemon.stats().watches == 1)
            #expect(try daemon.stats().status.contains("1 watch,"))

            let missing = try akhbar(["watch", "show", "nosuch"] + socket)
            #expect(missing.status == 1 && missing.stderr.contains("no watch named nosuch"), "\(missing.stderr)")
            #expect(try akhbar(["watch", "rm", "libya"] + socket).status == 0)
            #expect(try akhbar(["watch", "rm", "libya"] + socket).status == 1)
            #expect(try akhbar(["watch", "list", "--json"] + socket).stdout.isEmpty)
        }
    }

    @Test("the Atom feed of a watch parses as XML and has the elements RFC 4287 requires")
    func atomFeed() throws {
        try withDaemon { daemon in
            let socket = ["--socket", daemon.sandbox.socket]
            #expect(try akhbar(["watch", "add", "feedwatch", "feedmarker"] + socket).status == 0)
            for index in 0..<3 {
                try daemon.sandbox.write(
                    SampleArticle.text(title: "feedmarker feedentry\(index) <&> \"quoted\""),
                    to: daemon.sandbox.dropped("feed \(index).txt"))
            }
            daemon.eventually("three matches") {
                try akhbar(["watch", "list", "--json"] + socket).lines(WatchInfo.self).first?.matches ?? 0 >= 1
                    && daemon.stats().articles == 3
            }
            let feed = try akhbar(["watch", "feed", "feedwatch", "-n", "5"] + socket)
            #expect(feed.status == 0, "\(feed.stderr)")
            let checker = """
                import sys, xml.etree.ElementTree as ET
                ns = {"a": "http://www.w3.org/2005/Atom"}
                root = ET.parse(sys.argv[1]).getroot()
                assert root.tag == "{http://www.w3.org/2005/Atom}feed", root.tag
                for name in ("id", "title", "updated", "author/a:name"):
                    assert root.find("a:" + name, ns) is not None, name
                entries = root.findall("a:entry", ns)
                for entry in entries:
                    for name in ("id", "title", "updated", "summary"):
                        assert (entry.find("a:" + name, ns).text or "").strip(), name
                    assert entry.find("a:link", ns) is not None or entry.find("a:content", ns) is not None
                assert len({e.find("a:id", ns).text for e in entries}) == len(entries)
                print(len(entries))
                """
            let feedFile = try daemon.sandbox.write(
                feed.stdout, to: daemon.sandbox.root.appendingPathComponent("f.atom"))
            let python = try ChildProcess(
                URL(fileURLWithPath: "/usr/bin/python3"), ["-c", checker, feedFile.path], name: "atom-check",
                in: daemon.sandbox.root)
            #expect(python.wait(timeout: .seconds(20)))
            #expect(python.status == 0, "\(python.stderr)\n\(feed.stdout)")
            let entries = Int(python.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            #expect(entries >= 1, "\(python.stdout)")
        }
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

    @Test("delivery is at least once: a match not acknowledged comes again with its cursor, then never again")
    func atLeastOnce() throws {
        try withDaemon { daemon in
            _ = try daemon.call(
                .addWatch, AddWatchParameters(name: "again", query: "redeliverymarker"), returning: WatchReply.self)
            _ = try daemon.call(
                .acknowledge, AcknowledgeParameters(consumer: "reader", cursor: 0), returning: EmptyReply.self)
            func firstMatch() throws -> WatchMatch {
                // A connection of its own, closed when it goes out of scope: a client that died.
                let connection = try VarlinkConnection(path: daemon.sandbox.socket, receiveTimeout: .seconds(20))
                try connection.send(
                    VarlinkCall(
                        method: ArticlesInterface.Method.followWatches.rawValue,
                        parameters: FollowWatchesParameters(consumer: "reader"), more: true))
                return try #require(try connection.receive(FollowWatchesReply.self).parameters).match
            }
            for index in 0..<2 {
                try daemon.sandbox.write(
                    SampleArticle.text(title: "redeliverymarker item\(index)marker"),
                    to: daemon.sandbox.dropped("item-\(index).txt"))
            }
            daemon.eventually("both articles matched") {
                try daemon.call(.listWatches, NoParameters(), returning: ListWatchesReply.self).watches.first?
                    .matches == 2
            }
            let first = try firstMatch()
            let repeated = try firstMatch()
            #expect(repeated.cursor == first.cursor && repeated.article.id == first.article.id)
            _ = try daemon.call(
                .acknowledge, AcknowledgeParameters(consumer: "reader", cursor: first.cursor),
                returning: EmptyReply.self)
            let next = try firstMatch()
            #expect(next.cursor > first.cursor && next.article.id != first.article.id)
        }
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
