import Foundation

/// A fresh folder for one test, removed with everything in it when the test's suite instance goes:
/// each test of a suite gets an instance of its own, so nothing of a run is left behind.
final class TemporaryFolder: Sendable {
    let path: String

    init(_ prefix: String) throws {
        path = NSTemporaryDirectory() + prefix + "-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
