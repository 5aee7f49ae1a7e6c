import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// Drop-folder behaviour that needs another process writing, or the akhbar client; the rest is in
/// the in-process `InProcessDropFolderTests`.
@Suite("Files arriving in the drop folder")
struct DropFolderTests {
    @Test("a file written slowly, in two chunks, is ingested once and whole")
    func slowWrite() throws {
        try withDaemon { daemon in
            let head = "خبر يكتب ببطء slowheadmarker\n\nالفقرة الأولى من الخبر وصلت أولا.\n"
            let tail = "والفقرة الثانية وصلت بعد توقف قصير slowtailmarker.\n"
            let url = daemon.sandbox.dropped("slow.txt")
            let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            try #require(descriptor >= 0)
            try Sandbox.writeAll(Data(head.utf8), to: descriptor)
            // Mid-write, the file must not have been taken: not as an article, not as a rejection. A
            // file written whole after the first chunk, once searchable, shows the daemon has handled
            // every event before it.
            try daemon.sandbox.write(
                SampleArticle.text(title: "slowbarriermarker"), to: daemon.sandbox.dropped("barrier.txt"))
            daemon.eventually("the barrier file searchable") { try !daemon.search("slowbarriermarker").isEmpty }
            let midway = try daemon.stats()
            #expect(midway.articles == 1 && midway.rejected == 0, "acted on a half-written file: \(midway)")
            try Sandbox.writeAll(Data(tail.utf8), to: descriptor)
            close(descriptor)

            daemon.eventually("slow.txt searchable by its last chunk") {
                try !daemon.hits(for: "slowtailmarker", file: "slow.txt").isEmpty
            }
            let hit = try #require(daemon.hits(for: "slowheadmarker", file: "slow.txt").first)
            let article = try daemon.article(hit.id)
            #expect(
                article.original.trimmingCharacters(in: .whitespacesAndNewlines)
                    == (head + tail).trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(article.updated == article.ingested, "the article was written more than once")
            let stats = try daemon.stats()
            #expect(stats.articles == 2 && stats.rejected == 0, "\(stats)")
        }
    }

    @Test("a binary file shows up in akhbar rejected, and the daemon keeps serving")
    func binaryRejected() throws {
        try withDaemon { daemon in
            // PNG signature, NULs, and bytes that are not UTF-8.
            var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]
            bytes += (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            try daemon.sandbox.write(Data(bytes), to: daemon.sandbox.dropped("picture.txt"))
            try daemon.sandbox.write(
                SampleArticle.text(title: "besidebinarymarker"), to: daemon.sandbox.dropped("fine.txt"))

            daemon.eventually("picture.txt listed by akhbar rejected") {
                let run = try daemon.akhbarJSON(["rejected"])
                return try run.lines(RejectionInfo.self).contains {
                    $0.path.hasSuffix("/picture.txt") || $0.path == "picture.txt"
                }
            }
            let rejection = try #require(
                daemon.akhbarJSON(["rejected"]).lines(RejectionInfo.self).first { $0.path.hasSuffix("picture.txt") })
            #expect(!rejection.reason.isEmpty)
            daemon.eventually("the text file beside it ingested") {
                try !daemon.hits(for: "besidebinarymarker", file: "fine.txt").isEmpty
            }
            let stats = try daemon.stats()
            #expect(stats.rejected == 1 && stats.articles == 1, "\(stats)")
        }
    }
}
