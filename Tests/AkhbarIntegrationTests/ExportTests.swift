import AkhbarProtocol
import Foundation
import Testing

@Suite("akhbar export, similar and rescan")
struct ExportTests {
    @Test("export writes every article in full as JSON Lines, with its original text and paths")
    func export() throws {
        try withDaemon(seeds: true) { daemon in
            daemon.eventually("the seeds ingested") { try daemon.stats().articles == 5 }
            // Export is always JSON, so no --json here.
            let run = try akhbar(["export", "--socket", daemon.sandbox.socket])
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

    @Test("similar lists an article's cluster, the article included; an unknown id exits 1")
    func similar() throws {
        try withDaemon(seeds: true) { daemon in
            daemon.eventually("the seeds ingested") { try daemon.stats().articles == 5 }
            let hit = try #require(daemon.hits(for: "بوتسوانا", file: "002_320f29bc71bb23e6.txt").first)
            let run = try daemon.akhbarJSON(["similar", String(hit.id)])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try run.lines(Summary.self).map(\.id).contains(hit.id))
            let missing = try daemon.akhbarJSON(["similar", "987654"])
            #expect(missing.status == 1 && missing.stderr == "akhbar: no article with id 987654\n")
        }
    }

    @Test("rescan as the daemon's own user queues what changed behind inotify's back")
    func rescan() throws {
        try withDaemon(seeds: true) { daemon in
            daemon.eventually("the seeds ingested") { try daemon.stats().articles == 5 }
            let run = try daemon.akhbarJSON(["rescan"])
            #expect(run.status == 0, "\(run.stderr)")
            // Nothing changed since the reconcile at start.
            #expect(try run.object(RescanReply.self).queued == 0)
        }
    }
}
