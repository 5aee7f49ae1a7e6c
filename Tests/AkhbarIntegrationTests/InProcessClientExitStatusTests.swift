import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// The client's error replies: one line on standard error and exit status 1.
///
/// The daemon runs in the test's process (``withInProcessDaemon``); what blocks waits on a thread
/// of its own.
@Suite("akhbar exit statuses and error messages")
struct InProcessClientExitStatusTests {
    @Test("error replies: an invalid query and an unknown article exit 1 with one line")
    func errorReplies() async throws {
        try await withInProcessDaemon(seeds: true) { daemon in
            await #expect {
                try await daemon.search("-")
            } throws: { error in
                (error as? VarlinkError)?.name == VarlinkError.invalidQuery("").name
            }
            let invalid = try await daemon.akhbarJSON(["search", "-"])
            #expect(invalid.status == 1)
            #expect(invalid.stderr.hasPrefix("akhbar: invalid query: "), "\(invalid.stderr)")
            #expect(invalid.stderr.split(separator: "\n").count == 1)
            let unbalanced = try await daemon.akhbarJSON(["search", "طرابلس OR (مصراتة"])
            #expect(unbalanced.status == 1)
            #expect(unbalanced.stderr.contains("never closed (at character 11)"), "\(unbalanced.stderr)")

            let missing = try await daemon.akhbarJSON(["show", "987654"])
            #expect(missing.status == 1)
            #expect(missing.stderr == "akhbar: no article with id 987654\n")
        }
    }
}
