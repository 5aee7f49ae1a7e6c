import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// A file that cannot be an article, seen through `akhbar rejected`.
///
/// The daemon runs in the test's process (``withInProcessDaemon``); what blocks waits on a thread
/// of its own.
@Suite("Rejections seen through the client")
struct InProcessRejectionTests {
    @Test("a binary file shows up in akhbar rejected, and the daemon keeps serving")
    func binaryRejected() async throws {
        try await withInProcessDaemon { daemon in
            // PNG signature, NULs, and bytes that are not UTF-8.
            var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]
            bytes += (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            try daemon.sandbox.write(Data(bytes), to: daemon.sandbox.dropped("picture.txt"))
            try daemon.sandbox.write(
                SampleArticle.text(title: "besidebinarymarker"), to: daemon.sandbox.dropped("fine.txt"))

            await daemon.eventually("picture.txt listed by akhbar rejected") {
                let run = try await daemon.akhbarJSON(["rejected"])
                return try run.lines(RejectionInfo.self).contains {
                    $0.path.hasSuffix("/picture.txt") || $0.path == "picture.txt"
                }
            }
            let rejection = try #require(
                await daemon.akhbarJSON(["rejected"]).lines(RejectionInfo.self).first {
                    $0.path.hasSuffix("picture.txt")
                })
            #expect(!rejection.reason.isEmpty)
            await daemon.eventually("the text file beside it ingested") {
                try await !daemon.hits(for: "besidebinarymarker", file: "fine.txt").isEmpty
            }
            let stats = try await daemon.stats()
            #expect(stats.rejected == 1 && stats.articles == 1, "\(stats)")
        }
    }
}
