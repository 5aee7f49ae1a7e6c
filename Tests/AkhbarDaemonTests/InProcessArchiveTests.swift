import AkhbarProtocol
import AkhbarTesting
import Foundation
import Testing

/// The store is the archive and the drop folder an inbox: what happens to an article when its file
/// changes, is copied, or goes away; on a daemon run in-process.
@Suite("The store as an archive") struct InProcessArchiveTests {
    @Test("a modified file updates its article under the same id")
    func modified() async throws {
        try await TestDaemon.with { daemon in
            try daemon.drop("edited.txt", TestArticles.sample("editbeforemarker"))
            try await daemon.eventuallyFinds("editbeforemarker")
            let before = try #require(try await daemon.client.search("editbeforemarker").first)
            try daemon.drop("edited.txt", TestArticles.sample("editaftermarker"))
            try await daemon.eventuallyFinds("editaftermarker")
            #expect(try await daemon.client.search("editaftermarker").first?.id == before.id)
            #expect(try await daemon.client.search("editbeforemarker").isEmpty, "the old text is still indexed")
            #expect(try await daemon.client.stats().articles == 1)
        }
    }

    @Test("the same content under two names is one article with both paths")
    func duplicate() async throws {
        try await TestDaemon.with { daemon in
            try daemon.drop("one.txt", TestArticles.sample("twinmarker"))
            try daemon.drop("copies/two.txt", TestArticles.sample("twinmarker"))
            try await daemon.eventually("both paths recorded on one article") {
                guard let hit = try await daemon.client.search("twinmarker").first else { return false }
                return try await daemon.client.article(hit.id).sources.count == 2
            }
            #expect(try await daemon.client.search("twinmarker").count == 1)
            #expect(try await daemon.client.stats().articles == 1)
        }
    }

    @Test("deleting a file keeps its article, its source marked gone")
    func deleted() async throws {
        try await TestDaemon.with { daemon in
            try daemon.drop("ephemeral.txt", TestArticles.sample("ephemeralmarker"))
            try await daemon.eventuallyFinds("ephemeralmarker")
            try daemon.remove("ephemeral.txt")
            try await daemon.eventually("the source marked gone") {
                guard let hit = try await daemon.client.search("ephemeralmarker").first else { return false }
                return try await daemon.client.article(hit.id).sources.allSatisfy(\.gone)
            }
            #expect(try await daemon.client.stats().articles == 1)
        }
    }
}
