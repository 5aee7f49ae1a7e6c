import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// Watches through the client: add, list, test, feed, and delivery at least once.
///
/// The daemon runs in the test's process (``withInProcessDaemon``); what blocks waits on a thread
/// of its own.
@Suite("Watches")
struct InProcessWatchTests {
    @Test("watch add, list, show, test and rm round trip through the client, with clear errors")
    func clientRoundTrips() async throws {
        try await withInProcessDaemon(seeds: true) { daemon in
            await daemon.eventually("the seeds ingested") { try await daemon.stats().articles == 5 }
            let socket = ["--socket", daemon.sandbox.socket]
            let added = try await akhbarRun(
                ["watch", "add", "libya", "ليبيا", "-واشنطن", "--note", "desk", "--json"] + socket)
            #expect(added.status == 0, "\(added.stderr)")
            let watch = try added.object(WatchInfo.self)
            #expect(watch.name == "libya" && watch.query == "ليبيا -واشنطن" && watch.note == "desk")

            // An invalid query is refused with the words search uses.
            let search = try await akhbarRun(["search", "(ليبيا"] + socket)
            let refused = try await akhbarRun(["watch", "add", "broken", "(ليبيا"] + socket)
            #expect(refused.status == 1 && search.status == 1)
            #expect(refused.stderr == search.stderr && refused.stderr.contains("character 1"), "\(refused.stderr)")
            let twice = try await akhbarRun(["watch", "add", "libya", "طرابلس"] + socket)
            #expect(twice.status == 1 && twice.stderr.contains("exists already"), "\(twice.stderr)")
            let badName = try await akhbarRun(["watch", "add", "a,b", "طرابلس"] + socket)
            #expect(badName.status == 2, "\(badName.stderr)")

            // What it would have matched among the seeds: those that name Libya but not Washington.
            let tested = try await akhbarRun(["watch", "test", "ليبيا", "-واشنطن", "-n", "10", "--json"] + socket)
            let wouldMatch = try tested.lines(WatchMatch.self)
            #expect(!wouldMatch.isEmpty && wouldMatch.count < 5, "\(tested.stdout)")
            #expect(wouldMatch.allSatisfy { !$0.article.title.contains("واشنطن") })

            // A new article matches at once; list and show say so.
            try daemon.sandbox.write(
                SampleArticle.text(title: "watchroundtripmarker ليبيا"), to: daemon.sandbox.dropped("new.txt"))
            await daemon.eventually("the new article matched") {
                try await akhbarRun(["watch", "list", "--json"] + socket).lines(WatchInfo.self).first?.matches == 1
            }
            let listed = try await akhbarRun(["watch", "list", "--json"] + socket).lines(WatchInfo.self)
            #expect(listed.count == 1 && listed[0].lastMatch != nil)
            let shown = try await akhbarRun(["watch", "show", "libya", "--json"] + socket).lines(WatchMatch.self)
            #expect(shown.map { $0.article.path?.hasSuffix("new.txt") } == [true])
            #expect(shown.first?.highlights.isEmpty == false, "the snippet marks the watched word")
            #expect(try await daemon.stats().watches == 1)
            #expect(try await daemon.stats().status.contains("1 watch,"))

            let missing = try await akhbarRun(["watch", "show", "nosuch"] + socket)
            #expect(missing.status == 1 && missing.stderr.contains("no watch named nosuch"), "\(missing.stderr)")
            #expect(try await akhbarRun(["watch", "rm", "libya"] + socket).status == 0)
            #expect(try await akhbarRun(["watch", "rm", "libya"] + socket).status == 1)
            #expect(try await akhbarRun(["watch", "list", "--json"] + socket).stdout.isEmpty)
        }
    }

    @Test("the Atom feed of a watch parses as XML and has the elements RFC 4287 requires")
    func atomFeed() async throws {
        try await withInProcessDaemon { daemon in
            let socket = ["--socket", daemon.sandbox.socket]
            #expect(try await akhbarRun(["watch", "add", "feedwatch", "feedmarker"] + socket).status == 0)
            for index in 0..<3 {
                try daemon.sandbox.write(
                    SampleArticle.text(title: "feedmarker feedentry\(index) <&> \"quoted\""),
                    to: daemon.sandbox.dropped("feed \(index).txt"))
            }
            await daemon.eventually("three matches") {
                let matches = try await akhbarRun(["watch", "list", "--json"] + socket).lines(WatchInfo.self).first?
                    .matches
                let articles = try await daemon.stats().articles
                return matches ?? 0 >= 1 && articles == 3
            }
            let feed = try await akhbarRun(["watch", "feed", "feedwatch", "-n", "5"] + socket)
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
            let exited = try await onOwnThread { [python = Handed(python)] in python.value.wait(timeout: .seconds(20)) }
            #expect(exited)
            #expect(python.status == 0, "\(python.stderr)\n\(feed.stdout)")
            let entries = Int(python.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            #expect(entries >= 1, "\(python.stdout)")
        }
    }

    @Test("delivery is at least once: a match not acknowledged comes again with its cursor, then never again")
    func atLeastOnce() async throws {
        try await withInProcessDaemon { daemon in
            _ = try await daemon.call(
                .addWatch, AddWatchParameters(name: "again", query: "redeliverymarker"), returning: WatchReply.self)
            _ = try await daemon.call(
                .acknowledge, AcknowledgeParameters(consumer: "reader", cursor: 0), returning: EmptyReply.self)
            let socket = daemon.sandbox.socket
            func firstMatch() async throws -> WatchMatch {
                // A connection of its own, closed when it goes out of scope: a client that died.
                let reply = try await onOwnThread {
                    let connection = try VarlinkConnection(path: socket, receiveTimeout: .seconds(20))
                    try connection.send(
                        VarlinkCall(
                            method: ArticlesInterface.Method.followWatches.rawValue,
                            parameters: FollowWatchesParameters(consumer: "reader"), more: true))
                    return try connection.receive(FollowWatchesReply.self)
                }
                return try #require(reply.parameters).match
            }
            for index in 0..<2 {
                try daemon.sandbox.write(
                    SampleArticle.text(title: "redeliverymarker item\(index)marker"),
                    to: daemon.sandbox.dropped("item-\(index).txt"))
            }
            await daemon.eventually("both articles matched") {
                try await daemon.call(.listWatches, NoParameters(), returning: ListWatchesReply.self).watches.first?
                    .matches == 2
            }
            let first = try await firstMatch()
            let repeated = try await firstMatch()
            #expect(repeated.cursor == first.cursor && repeated.article.id == first.article.id)
            _ = try await daemon.call(
                .acknowledge, AcknowledgeParameters(consumer: "reader", cursor: first.cursor),
                returning: EmptyReply.self)
            let next = try await firstMatch()
            #expect(next.cursor > first.cursor && next.article.id != first.article.id)
        }
    }
}
