import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// The shared folder of hostile drop files: each one ingested or rejected with a clear reason, and
/// the daemon serving throughout.
///
/// The daemon runs in the test's process (``withInProcessDaemon``); what blocks waits on a thread
/// of its own.
@Suite("Hostile drop files")
struct InProcessEdgeCaseDropTests {
    @Test(
        "every edge-case file is ingested or rejected with a reason, and the daemon keeps serving",
        .enabled(if: EdgeCases.available, "SKIPPED: ../shared/corpus/edge-cases is not beside the repository"))
    func everyFileAccountedFor() async throws {
        try await withInProcessDaemon(seeds: true) { daemon in
            await daemon.eventually("the seeds ingested") { try await daemon.stats().articles == 5 }
            let drop = daemon.sandbox.drop
            let names = try FileManager.default.contentsOfDirectory(atPath: EdgeCases.directory.path)
                .filter { $0 != "README.md" && $0 != "make-big.py" && $0 != ".gitignore" }
            for name in names {
                try FileManager.default.copyItem(
                    at: EdgeCases.directory.appendingPathComponent(name), to: drop.appendingPathComponent(name))
            }
            // The generated files: 20 MB, a 5 MB single line, and a name with a newline in it.
            let generator = Process()
            generator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            generator.arguments = [
                "python3", EdgeCases.directory.appendingPathComponent("make-big.py").path, "--out", drop.path,
                "--odd-name",
            ]
            let status = try await onOwnThread { [generator = Handed(generator)] in
                try generator.value.run()
                generator.value.waitUntilExit()
                return generator.value.terminationStatus
            }
            #expect(status == 0)

            let expected = try FileManager.default.contentsOfDirectory(atPath: drop.path).filter { !$0.hasPrefix(".") }
            await daemon.eventually("every file accounted for", timeout: .seconds(120)) {
                let stats = try await daemon.stats()
                return stats.queued == 0 && stats.files == expected.count
            }
            let rejectedRun = try await akhbarRun([
                "rejected", "--json", "-n", "1000", "--socket", daemon.sandbox.socket,
            ])
            #expect(rejectedRun.status == 0, "akhbar rejected: \(rejectedRun.stderr)")
            let rejections = try rejectedRun.lines(RejectionInfo.self)
            // The 5 MB single-line article makes a reply of about 10 MB: the client must read it in
            // one pass (it used to re-scan its whole buffer for each chunk, tens of seconds).
            let exportRun = try await akhbarRun(["export", "--socket", daemon.sandbox.socket], timeout: .seconds(20))
            #expect(exportRun.status == 0, "akhbar export: \(exportRun.stderr)")
            let exported = try exportRun.lines(ExportedLine.self)
            let stored = Set(exported.flatMap { $0.sources.map { URL(fileURLWithPath: $0.path).lastPathComponent } })
            let rejected = Dictionary(
                rejections.map { (URL(fileURLWithPath: $0.path).lastPathComponent, $0) },
                uniquingKeysWith: { a, _ in a })
            for name in expected {
                #expect(stored.contains(name) || rejected[name] != nil, "\(name) is neither stored nor rejected")
                if let rejection = rejected[name], rejection.position == nil { #expect(!rejection.reason.isEmpty) }
            }
            #expect(!stored.contains(".partial-upload.txt"))
            #expect(
                rejected["big-20MB.txt"]?.reason.contains("too large") == true,
                "\(String(describing: rejected["big-20MB.txt"]))")
            for name in [
                "empty.txt", "whitespace-only.txt", "only-bom.txt", "binary-garbage.txt", "nul-bytes-in-text.txt",
            ] {
                #expect(rejected[name] != nil, "\(name) should be rejected")
            }
            #expect(rejected["one-bad-line.jsonl"]?.position == 4)
            #expect(exported.filter { $0.sources.contains { $0.path.hasSuffix("one-bad-line.jsonl") } }.count == 5)
            // Normalization makes these findable however their letters were written. They tell one
            // story, so they are near-duplicates: list them all rather than one per cluster.
            let hits = try await daemon.call(
                .search, SearchParameters(query: "مكتبة", limit: 50, collapse: false), returning: SearchReply.self
            ).hits
            let library = Set(hits.compactMap { $0.path.map { URL(fileURLWithPath: $0).lastPathComponent } })
            for name in ["zero-width-and-bidi-marks.txt", "heavy-tashkeel.txt", "presentation-forms.txt"] {
                #expect(library.contains(name), "مكتبة does not find \(name)")
            }
            // The seed's byte copy and its whitespace variant are the seed's article, not new ones.
            let seed = try #require(try await daemon.search("الاستخباراتية").first)
            let paths = Set(
                try await daemon.article(seed.id).sources.map { URL(fileURLWithPath: $0.path).lastPathComponent })
            #expect(paths.isSuperset(of: ["dup-of-seed-003.txt", "seed-003-whitespace-only-changes.txt"]))
            #expect(try await daemon.stats().articles > 5)
        }
    }
}
