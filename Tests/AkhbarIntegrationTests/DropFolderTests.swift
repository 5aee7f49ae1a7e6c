import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// Drop-folder behaviour seen through the akhbar client; the rest is in the in-process
/// `InProcessDropFolderTests`.
@Suite("Files arriving in the drop folder")
struct DropFolderTests {
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
