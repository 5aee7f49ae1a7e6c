import AkhbarProtocol
import Foundation

/// The shared folder of hostile drop files (`../shared/corpus/edge-cases`), which may be absent.
enum EdgeCases {
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/corpus/edge-cases")
    }

    static var available: Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("README.md").path)
    }
}

/// The part of an `akhbar export` line this test reads.
struct ExportedLine: Decodable {
    var sources: [SourceInfo]
}
