import AkhbarProtocol
import AkhbarTesting
import Foundation
import Glibc
import Testing

/// Files arriving in the drop folder the ways producers write them, on a daemon run in-process.
@Suite("Files arriving in the drop folder") struct InProcessDropFolderTests {
    /// The hits for `query` whose file is `name`.
    private func hits(_ query: String, file name: String, in daemon: TestDaemon) async throws -> [Hit] {
        try await daemon.client.search(query, limit: 50).filter { $0.path?.hasSuffix("/" + name) == true }
    }

    @Test("a file written slowly, in two chunks, is ingested once and whole")
    func slowWrite() async throws {
        try await TestDaemon.with { daemon in
            let head = "خبر يكتب ببطء slowheadmarker\n\nالفقرة الأولى من الخبر وصلت أولا.\n"
            let tail = "والفقرة الثانية وصلت بعد توقف قصير slowtailmarker.\n"
            // Created and written through one descriptor that stays open: no close until the end.
            let descriptor = open(daemon.configuration.dropFolder + "/slow.txt", O_WRONLY | O_CREAT | O_EXCL, 0o644)
            try #require(descriptor >= 0)
            let file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            try file.write(contentsOf: Data(head.utf8))
            // Mid-write, the file must not have been taken: not as an article, not as a rejection. A
            // file written whole after the first chunk, once searchable, shows the daemon has handled
            // every event before it.
            try daemon.drop("barrier.txt", TestArticles.sample("slowbarriermarker"))
            try await daemon.eventuallyFinds("slowbarriermarker")
            let midway = try await daemon.client.stats()
            #expect(midway.articles == 1 && midway.rejected == 0, "acted on a half-written file: \(midway)")
            try file.write(contentsOf: Data(tail.utf8))
            try file.close()

            try await daemon.eventually("slow.txt searchable by its last chunk") {
                try await !hits("slowtailmarker", file: "slow.txt", in: daemon).isEmpty
            }
            let hit = try #require(try await hits("slowheadmarker", file: "slow.txt", in: daemon).first)
            let article = try await daemon.client.article(hit.id)
            #expect(
                article.original.trimmingCharacters(in: .whitespacesAndNewlines)
                    == (head + tail).trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(article.updated == article.ingested, "the article was written more than once")
            let stats = try await daemon.client.stats()
            #expect(stats.articles == 2 && stats.rejected == 0, "\(stats)")
        }
    }

    @Test("a file moved in from elsewhere on the filesystem, and one renamed from a temporary name")
    func movedIn() async throws {
        try await TestDaemon.with { daemon in
            let outside = daemon.folder + "/outside.txt"
            try TestArticles.sample("movedinmarker").write(toFile: outside, atomically: true, encoding: .utf8)
            try FileManager.default.moveItem(atPath: outside, toPath: daemon.configuration.dropFolder + "/moved.txt")
            try await daemon.eventually("moved.txt searchable") {
                try await !hits("movedinmarker", file: "moved.txt", in: daemon).isEmpty
            }
            // Scrapers write to a temporary name and rename when done; the temporary file is ignored.
            try daemon.drop("renamed.txt.part", TestArticles.sample("partialmarker"))
            try daemon.drop("barrier.txt", TestArticles.sample("partbarriermarker"))
            try await daemon.eventuallyFinds("partbarriermarker")
            #expect(try await daemon.client.stats().articles == 2, "a *.part file was ingested")
            #expect(try await daemon.client.stats().rejected == 0, "a *.part file was rejected")
            try FileManager.default.moveItem(
                atPath: daemon.configuration.dropFolder + "/renamed.txt.part",
                toPath: daemon.configuration.dropFolder + "/renamed.txt")
            try await daemon.eventually("renamed.txt searchable") {
                try await !hits("partialmarker", file: "renamed.txt", in: daemon).isEmpty
            }
            #expect(try await daemon.client.search("partialmarker").count == 1)
            #expect(try await daemon.client.stats().articles == 3)
        }
    }

    @Test("a subfolder tree created and filled at once is ingested whole")
    func subfolder() async throws {
        try await TestDaemon.with { daemon in
            // No pause anywhere: files land before the daemon can have watched the new folders.
            let files = [
                ("2025/a.txt", "subfoldermarkerone"), ("2025/09/b.txt", "subfoldermarkertwo"),
                ("2025/09/c.txt", "subfoldermarkerthree"), ("2025/09/d.txt", "subfoldermarkerfour"),
            ]
            for (name, marker) in files { try daemon.drop(name, TestArticles.sample(marker)) }
            try await daemon.eventually("all four files in the new subfolders ingested") {
                try await daemon.client.stats().articles == 4
            }
            for (name, marker) in files {
                let file = (name as NSString).lastPathComponent
                #expect(try await hits(marker, file: file, in: daemon).count == 1, "\(name)")
            }
            // A file added later to the new folder proves it is watched, not only scanned.
            try daemon.drop("2025/09/e.txt", TestArticles.sample("subfolderlatermarker"))
            try await daemon.eventually("a later file in the new subfolder ingested") {
                try await !hits("subfolderlatermarker", file: "e.txt", in: daemon).isEmpty
            }
        }
    }
}
