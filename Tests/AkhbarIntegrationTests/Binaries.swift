import Foundation

/// Where the built `akhbard` and `akhbar` are: `$AKHBAR_BIN_DIR`, else beside the test bundle,
/// which SwiftPM on Linux builds into the same folder as the package's executables.
enum Binaries {
    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String {
            "no executable at \(path); build the package first (swift build) or set AKHBAR_BIN_DIR"
        }
    }

    static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["AKHBAR_BIN_DIR"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        let bundle = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        return bundle.deletingLastPathComponent()
    }

    static func url(_ name: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else { throw Missing(path: url.path) }
        return url
    }

    static func daemon() throws -> URL { try url("akhbard") }
    static func client() throws -> URL { try url("akhbar") }
}
