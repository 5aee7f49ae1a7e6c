import Foundation
import Glibc

/// A datagram socket playing systemd's notify socket for one daemon: pass ``environment`` to the
/// child, then read what it announced (`READY=1`, `STATUS=…`) in the order it sent it.
final class NotifyListener {
    let path: String
    private let descriptor: Int32
    private(set) var messages: [String] = []

    init(in sandbox: Sandbox) throws {
        // A socket path must fit in 108 bytes: the sandbox's root is short enough.
        path = sandbox.root.appendingPathComponent("n.sock").path
        descriptor = try boundUnixSocket(at: path, type: SOCK_DGRAM, flags: Int32(SOCK_CLOEXEC.rawValue))
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    var environment: [String: String] { ["NOTIFY_SOCKET": path] }

    /// Reads every datagram waiting, without blocking, and returns all received so far.
    @discardableResult
    func drain() -> [String] {
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            guard count > 0 else { break }
            messages.append(String(decoding: buffer[..<count], as: UTF8.self))
        }
        return messages
    }

    /// Whether any message so far holds the line `assignment` (e.g. `READY=1`).
    func received(_ assignment: String) -> Bool {
        drain().contains { $0.split(separator: "\n").contains { $0 == assignment } }
    }

    /// The `STATUS=` texts received so far, oldest first.
    var statuses: [String] {
        drain().flatMap { $0.split(separator: "\n") }.filter { $0.hasPrefix("STATUS=") }.map { String($0.dropFirst(7)) }
    }
}
