import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking client connection to a Varlink service on a Unix socket.
///
/// One call at a time; `more` calls stream their replies through ``receive(_:)`` until a reply
/// arrives without `continues`.
public final class VarlinkConnection {
    /// Why a connection could not be made or went wrong.
    public enum ConnectionError: Error, CustomStringConvertible {
        case cannotConnect(path: String, errno: Int32)
        case closed
        case io(errno: Int32)
        case malformedReply(String)

        public var description: String {
            switch self {
            case .cannotConnect(let path, let code): "cannot connect to \(path): \(String(cString: strerror(code)))"
            case .closed: "the daemon closed the connection"
            case .io(let code): "socket error: \(String(cString: strerror(code)))"
            case .malformedReply(let why): "malformed reply: \(why)"
            }
        }
    }

    public let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    /// How much of `buffer` is known to hold no terminator.
    private var scanned = 0
    private let encoder = JSONEncoder()
    private let decoder = JSONDecoder()

    /// Connects to the socket at `path`. With `receiveTimeout`, a read that waits longer for the
    /// service fails with ``ConnectionError/io(errno:)`` (EAGAIN) instead of waiting on.
    public init(path: String, receiveTimeout: Duration? = nil) throws {
        self.path = path
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { throw ConnectionError.cannotConnect(path: path, errno: ENAMETOOLONG) }
        #if canImport(Glibc) || canImport(Musl)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw ConnectionError.io(errno: errno) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw ConnectionError.cannotConnect(path: path, errno: code)
        }
        if let receiveTimeout {
            let (seconds, attoseconds) = receiveTimeout.components
            var wait = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        }
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    /// Sends a call and returns its single reply's parameters, or throws the ``VarlinkError`` it carries.
    public func call<P: Codable & Sendable, R: Codable & Sendable>(
        _ method: String, _ parameters: P, returning: R.Type = R.self
    ) throws -> R {
        try send(VarlinkCall(method: method, parameters: parameters))
        let reply: VarlinkReply<R> = try receive(R.self)
        guard let value = reply.parameters else { throw ConnectionError.malformedReply("no parameters") }
        return value
    }

    /// Sends a call without waiting for anything back.
    public func send<P: Codable & Sendable>(_ call: VarlinkCall<P>) throws {
        var bytes = Array(try encoder.encode(call))
        bytes.append(VarlinkFraming.terminator)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ConnectionError.io(errno: errno)
            }
            sent += n
        }
    }

    /// Reads the next reply. An error reply is thrown as ``VarlinkError``.
    public func receive<R: Codable & Sendable>(_ type: R.Type) throws -> VarlinkReply<R> {
        let message = try nextMessage()
        if let failure = try? decoder.decode(VarlinkReply<[String: JSONScalar]>.self, from: message),
            let name = failure.error
        {
            var parameters: [String: String] = [:]
            for (key, value) in failure.parameters ?? [:] { parameters[key] = value.text }
            throw VarlinkError(name, parameters)
        }
        do {
            return try decoder.decode(VarlinkReply<R>.self, from: message)
        } catch {
            throw ConnectionError.malformedReply(String(describing: error))
        }
    }

    private func nextMessage() throws -> Data {
        while true {
            if let end = buffer[scanned...].firstIndex(of: VarlinkFraming.terminator) {
                let message = Data(buffer[..<end])
                buffer.removeSubrange(...end)
                scanned = 0
                return message
            }
            // A long reply (an export of a large article) arrives in many chunks: the bytes already
            // looked at hold no terminator, so each chunk is scanned once, not the whole buffer again.
            scanned = buffer.count
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ConnectionError.io(errno: errno)
            }
            if n == 0 { throw ConnectionError.closed }
            buffer.append(contentsOf: chunk[..<n])
        }
    }
}

/// A JSON value of an error parameter, kept as text whatever its JSON type.
struct JSONScalar: Codable, Sendable {
    var text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            text = string
        } else if let number = try? container.decode(Int64.self) {
            text = String(number)
        } else if let number = try? container.decode(Double.self) {
            text = String(number)
        } else if let flag = try? container.decode(Bool.self) {
            text = String(flag)
        } else {
            text = ""
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
