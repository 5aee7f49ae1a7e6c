import AkhbarProtocol
import Foundation
import Testing

@Suite("Restarting the daemon")
struct RestartTests {
    @Test("a restart ingests nothing twice and picks up files dropped while it was down")
    func restart() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.write(SampleArticle.text(title: "restartalphamarker"), to: sandbox.dropped("alpha.txt"))
        try sandbox.write(SampleArticle.text(title: "restartbetamarker"), to: sandbox.dropped("nested/beta.txt"))

        var before: [String: ArticleRecord] = [:]
        do {
            let first = try Daemon(sandbox, generation: 1)
            defer { first.stop() }
            try first.waitUntilAnswering()
            first.eventually("both files ingested") { try first.stats().articles == 2 }
            for (marker, file) in [("restartalphamarker", "alpha.txt"), ("restartbetamarker", "beta.txt")] {
                let hit = try #require(first.hits(for: marker, file: file).first)
                before[file] = try first.article(hit.id)
            }
        }

        try sandbox.write(SampleArticle.text(title: "restartgammamarker"), to: sandbox.dropped("gamma.txt"))

        let second = try Daemon(sandbox, generation: 2)
        defer { second.stop() }
        try second.waitUntilAnswering()
        second.eventually("gamma.txt, dropped while the daemon was down, ingested") {
            try !second.hits(for: "restartgammamarker", file: "gamma.txt").isEmpty
        }
        // Give a slow reconcile the chance to (wrongly) re-ingest before counting.
        second.eventually("the queue drained") { try second.stats().queued == 0 }
        let stats = try second.stats()
        #expect(stats.articles == 3, "\(stats)")
        for (marker, file) in [("restartalphamarker", "alpha.txt"), ("restartbetamarker", "beta.txt")] {
            let hits = try second.hits(for: marker, file: file)
            #expect(hits.count == 1, "\(file): \(hits.count) hits after restart")
            let old = try #require(before[file])
            let now = try second.article(try #require(hits.first).id)
            #expect(
                now.id == old.id && now.ingested == old.ingested && now.updated == old.updated,
                "\(file) was ingested again: \(old.updated) → \(now.updated)")
        }
        let recent = try second.call(.recent, LimitParameters(limit: 50), returning: RecentReply.self).articles
        #expect(recent.count == 3 && Set(recent.map(\.id)).count == 3)
    }
}
