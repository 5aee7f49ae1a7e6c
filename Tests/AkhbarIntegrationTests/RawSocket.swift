import AkhbarProtocol
import AkhbarTesting
import Foundation
import Glibc

/// A bare Unix-socket client that can send bytes no well-behaved client would.
struct RawSocket {
    let descriptor: Int32

    /// Connects to `path`; a read then waits up to `timeout` seconds for the daemon.
    init(path: String, timeout: Double = 10) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let connected = withUnixSocketAddress(path) { connect(descriptor, $0, $1) }
        guard connected == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw Failure("cannot connect to \(path): errno \(code)")
        }
        var wait = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends `bytes` (stopping early if the peer hangs up), then reads the first reply and whether
    /// the peer closed the connection after it.
    func exchange(_ bytes: Data) throws -> (message: String?, closed: Bool) {
        defer { close() }
        send(bytes)
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                // ECONNRESET: closed with our bytes unread; EAGAIN: the timeout, still open.
                let closed = errno == ECONNRESET
                return (Self.firstMessage(received), closed)
            }
            received += chunk[..<count]
        }
        return (Self.firstMessage(received), true)
    }

    /// Sends `bytes` and returns the first reply as soon as it is complete: nil if the peer closed
    /// the connection or the timeout passed first. The connection stays open.
    func firstReply(to bytes: Data) -> String? {
        send(bytes)
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while !received.contains(0) {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            received += chunk[..<count]
        }
        return Self.firstMessage(received)
    }

    /// Sends all of `bytes`, stopping early if the peer hangs up.
    func send(_ bytes: Data) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let sent = Glibc.send(
                    descriptor, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return }
                offset += sent
            }
        }
    }

    func close() {
        Glibc.close(descriptor)
    }

    /// Whether the peer has sent something or closed the connection, without waiting.
    func hasInput() -> Bool {
        var byte: UInt8 = 0
        return recv(descriptor, &byte, 1, Int32(MSG_DONTWAIT | MSG_PEEK)) >= 0
    }

    private static func firstMessage(_ bytes: [UInt8]) -> String? {
        guard let end = bytes.firstIndex(of: 0) else { return nil }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }
}
