import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A one-connection Varlink "server" on a real Unix socket, answering each call with the raw
/// replies a test scripts, so the client's framing and error handling meet actual bytes.
final class ScriptedVarlinkPeer: Sendable {
    /// What to send back for one received message (without its NUL); each string gets a NUL.
    /// `nil` closes the connection instead of answering.
    typealias Script = @Sendable (String) -> [String]?

    let path: String
    private let listener: Int32
    private let received = Mutex<[String]>([])
    private let finished = DispatchSemaphore(value: 0)

    init(script: @escaping Script) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "akhbar-peer-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("peer.sock").path
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8) + [0])
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, listen(listener, 1) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let descriptor = listener
        Thread.detachNewThread { [self] in
            serve(accept(descriptor, nil, nil), script: script)
            finished.signal()
        }
    }

    deinit {
        close(listener)
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    /// The messages received so far, each without its NUL.
    var messages: [String] { received.withLock { $0 } }

    /// Waits until the peer has closed its connection.
    func waitUntilClosed() {
        finished.wait()
    }

    private func serve(_ connection: Int32, script: Script) {
        defer { close(connection) }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            while let end = buffer.firstIndex(of: 0) {
                let message = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeSubrange(...end)
                received.withLock { $0.append(message) }
                guard let replies = script(message) else { return }
                // One write for all replies, so the client must split coalesced messages itself.
                let bytes = Array(replies.map { Array($0.utf8) + [0] }.joined())
                _ = bytes.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
            }
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return }
            buffer += chunk[..<count]
        }
    }
}
