import AkhbarProtocol
import Foundation
import Testing

/// The store is the archive and the drop folder an inbox: what happens to an article
/// when its file changes, is copied, or goes away.
@Suite("The store as an archive")
struct ArchiveTests {
    @Test("a modified file updates its article under the same id")
    func modified() throws {
        try withDaemon { daemon in
            let url = daemon.sandbox.dropped("edited.txt")
            try daemon.sandbox.write(SampleArticle.text(title: "editbeforemarker"), to: url)
            daemon.eventually("edited.txt ingested") {
                try !daemon.hits(for: "editbeforemarker", file: "edited.txt").isEmpty
            }
            let before = try #require(daemon.hits(for: "editbeforemarker", file: "edited.txt").first)

            try daemon.sandbox.write(SampleArticle.text(title: "editaftermarker"), to: url)
            daemon.eventually("the edit searchable") {
                try !daemon.hits(for: "editaftermarker", file: "edited.txt").isEmpty
            }
            #expect(try daemon.hits(for: "editaftermarker", file: "edited.txt").first?.id == before.id)
            #expect(try daemon.search("editbeforemarker").isEmpty, "the old text is still indexed")
            #expect(try daemon.stats().articles == 1)
        }
    }

    @Test("the same content under two names is one article with both paths")
    func duplicate() throws {
        try withDaemon { daemon in
            let text = SampleArticle.text(title: "twinmarker")
            try daemon.sandbox.write(text, to: daemon.sandbox.dropped("one.txt"))
            try daemon.sandbox.write(text, to: daemon.sandbox.dropped("copies/two.txt"))
            daemon.eventually("both paths recorded on one article") {
                guard let hit = try daemon.search("twinmarker").first else { return false }
                return try daemon.article(hit.id).sources.count == 2
            }
            #expect(try daemon.search("twinmarker").count == 1)
            #expect(try daemon.stats().articles == 1)
        }
    }

    @Test("deleting a file keeps its article, its source marked gone")
    func deleted() throws {
        try withDaemon { daemon in
            let url = daemon.sandbox.dropped("ephemeral.txt")
            try daemon.sandbox.write(SampleArticle.text(title: "ephemeralmarker"), to: url)
            daemon.eventually("ephemeral.txt ingested") { try !daemon.search("ephemeralmarker").isEmpty }
            try FileManager.default.removeItem(at: url)
            daemon.eventually("the source marked gone") {
                guard let hit = try daemon.search("ephemeralmarker").first else { return false }
                return try daemon.article(hit.id).sources.allSatisfy(\.gone)
            }
            #expect(try daemon.stats().articles == 1)
        }
    }
}
