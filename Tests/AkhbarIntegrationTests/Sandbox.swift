import Foundation
import Glibc

/// A scratch directory of one test: its drop folder, store, socket and the children's output.
struct Sandbox {
    let root: URL
    var drop: URL { root.appendingPathComponent("drop") }
    var store: URL { root.appendingPathComponent("state/akhbar.sqlite") }
    /// Kept short: a Unix socket path must fit in 108 bytes.
    var socket: String { root.appendingPathComponent("s.sock").path }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "akhbar-it-\(UUID().uuidString.prefix(12))")
        try FileManager.default.createDirectory(at: drop, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: store.deletingLastPathComponent(), withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    /// A path inside the drop folder.
    func dropped(_ relativePath: String) -> URL {
        drop.appendingPathComponent(relativePath)
    }

    /// Writes a file in place, the way a person or a plain `cp` does: create, write, close.
    /// (Foundation's atomic writes would go through a temporary name and a rename.)
    @discardableResult
    func write(_ text: String, to url: URL) throws -> URL {
        try write(Data(text.utf8), to: url)
    }

    @discardableResult
    func write(_ data: Data, to url: URL) throws -> URL {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        try Self.writeAll(data, to: descriptor)
        return url
    }

    /// Copies the repository's seed articles into the drop folder, under their own names.
    func dropSeeds() throws {
        for seed in try Seeds.all() {
            try write(Data(contentsOf: seed), to: dropped(seed.lastPathComponent))
        }
    }

    static func writeAll(_ data: Data, to descriptor: Int32) throws {
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                }
                offset += written
            }
        }
    }
}

/// The five seed articles in the repository's `seeds/`, found from this source file's place.
enum Seeds {
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("seeds")
    }

    static func all() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "txt" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// "000" for `…/000_abb7b7a7fb13f67d.txt`: how tests name seeds.
    static func number(ofPath path: String) -> String {
        String(URL(fileURLWithPath: path).lastPathComponent.prefix(3))
    }
}
