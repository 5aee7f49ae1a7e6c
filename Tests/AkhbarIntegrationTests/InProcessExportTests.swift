import AkhbarProtocol
import Articles
import Foundation
import Glibc
import Testing

/// `akhbar export`, `show`, `similar` and `rescan` against a daemon in the test's process.
///
/// The daemon runs in the test's process (``withInProcessDaemon``); what blocks waits on a thread
/// of its own.
@Suite("akhbar export, similar and rescan")
struct InProcessExportTests {
    @Test("export writes every article in full as JSON Lines, with its original text and paths")
    func export() async throws {
        try await withInProcessDaemon(seeds: true) { daemon in
            await daemon.eventually("the seeds ingested") { try await daemon.stats().articles == 5 }
            // Export is always JSON, so no --json here.
            let run = try await akhbarRun(["export", "--socket", daemon.sandbox.socket])
            #expect(run.status == 0, "\(run.stderr)")
            let articles = try run.lines(ArticleRecord.self)
            #expect(articles.count == 5)
            #expect(articles.map(\.id) == articles.map(\.id).sorted(), "not oldest first")
            for seed in try Seeds.all() {
                let original = try String(contentsOf: seed, encoding: .utf8)
                let exported = articles.first { $0.sources.contains { $0.path.hasSuffix(seed.lastPathComponent) } }
                #expect(exported?.original == original, "\(seed.lastPathComponent) exported without its original text")
            }
        }
    }

    @Test("show numbers the sources with their own metadata, --raw --source N prints a file as dropped")
    func sourcesAsDropped() async throws {
        let body = (1...30).map { "الجملة \($0) من خبر عن اجتماع المجلس البلدي في مدينة درنة" }.joined(separator: " ")
        let head = "اجتماع المجلس البلدي\nالأحد 26 يوليو 2015 - 10:15 م\n"
        let first = Data((head + "سالم أحمد\nصحيفة الاختبار\n\n\(body)\n").utf8)
        // The same text with other line breaks, saved by a Windows tool: another outlet, other bytes.
        let copyText = (head + "سالم أحمد صحيفة الاختبار\n\n\(body)\n").replacingOccurrences(of: "\n", with: "\r\n")
        let copy = Data(try #require(Windows1256.encode(copyText)))
        try await withInProcessDaemon { daemon in
            _ = try daemon.sandbox.write(first, to: daemon.sandbox.dropped("a.txt"))
            await daemon.eventually("a.txt ingested") { try await daemon.stats().articles == 1 }
            _ = try daemon.sandbox.write(copy, to: daemon.sandbox.dropped("b.txt"))
            await daemon.eventually("b.txt joined it") { try await daemon.stats().files == 2 }
            let run = try await daemon.akhbarJSON(["show", "1"])
            #expect(run.status == 0, "\(run.stderr)")
            let sources = try run.object(ArticleRecord.self).sources
            #expect(sources.map(\.outlet) == ["صحيفة الاختبار", "سالم أحمد صحيفة الاختبار"])
            #expect(sources.map(\.author) == ["سالم أحمد", nil])
            #expect(sources.map(\.size) == [first.count, copy.count])

            for (number, bytes) in [(1, first), (2, copy)] {
                let raw = try await akhbarRun([
                    "show", "1", "--raw", "--source", String(number), "--socket", daemon.sandbox.socket,
                ])
                #expect(raw.status == 0, "\(raw.stderr)")
                #expect(raw.stdoutBytes == bytes, "source \(number) not as dropped")
            }
            let exported = try await akhbarRun(["export", "--socket", daemon.sandbox.socket]).lines(ArticleRecord.self)
            #expect(exported.first?.sources.map(\.outlet) == sources.map(\.outlet))

            let missing = try await akhbarRun([
                "show", "1", "--raw", "--source", "3", "--socket", daemon.sandbox.socket,
            ])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("has 2 sources, no source 3"), "\(missing.stderr)")
            let unraw = try await akhbarRun(["show", "1", "--source", "1", "--socket", daemon.sandbox.socket])
            #expect(unraw.status == 2 && unraw.stderr.contains("--source needs --raw"), "\(unraw.stderr)")
        }
    }

    @Test("similar lists an article's cluster, the article included; an unknown id exits 1")
    func similar() async throws {
        try await withInProcessDaemon(seeds: true) { daemon in
            await daemon.eventually("the seeds ingested") { try await daemon.stats().articles == 5 }
            let hit = try #require(await daemon.hits(for: "بوتسوانا", file: "002_320f29bc71bb23e6.txt").first)
            let run = try await daemon.akhbarJSON(["similar", String(hit.id)])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try run.lines(Summary.self).map(\.id).contains(hit.id))
            let missing = try await daemon.akhbarJSON(["similar", "987654"])
            #expect(missing.status == 1 && missing.stderr == "akhbar: no article with id 987654\n")
        }
    }

    @Test("rescan as the daemon's own user queues what changed behind inotify's back")
    func rescan() async throws {
        try await withInProcessDaemon(seeds: true) { daemon in
            await daemon.eventually("the seeds ingested") { try await daemon.stats().articles == 5 }
            let inside = try daemon.sandbox.write(
                SampleArticle.text(title: "rescanbeforemarker"), to: daemon.sandbox.dropped("linked.txt"))
            await daemon.eventually("linked.txt ingested") { try await !daemon.search("rescanbeforemarker").isEmpty }
            // inotify reports a write to the folder the file was opened through: rewritten through a
            // hard link outside the drop folder, the file changes with no event the daemon can see.
            let outside = daemon.sandbox.root.appendingPathComponent("outside-link.txt")
            try FileManager.default.linkItem(at: inside, to: outside)
            let handle = try FileHandle(forWritingTo: outside)
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: Data(SampleArticle.text(title: "rescanaftermarker").utf8))
            try handle.close()

            let run = try await daemon.akhbarJSON(["rescan"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try run.object(RescanReply.self).queued == 1, "the rewritten file was not queued")
            await daemon.eventually("the rewritten text searchable") {
                try await !daemon.search("rescanaftermarker").isEmpty
            }
            let again = try await daemon.akhbarJSON(["rescan"])
            #expect(try again.object(RescanReply.self).queued == 0, "an unchanged folder queued files")
        }
    }
}
