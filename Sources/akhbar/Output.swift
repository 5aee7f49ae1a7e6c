import FoundationEssentials
import Glibc

/// Where a command's results go and in which shape: styled lines for a person at a terminal,
/// JSON for programs (one object a line for lists and streams).
struct Output {
    enum Format {
        case text(Terminal)
        case json
    }

    let format: Format
    private let encoder: JSONEncoder

    /// JSON when asked for or when standard output is not a terminal.
    init(json: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if json || !Terminal.isTerminal(STDOUT_FILENO) {
            format = .json
        } else {
            format = .text(Terminal(environment: environment))
        }
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    /// Writes one line. Unbuffered, so `follow` output reaches a pipe as soon as it is written.
    func line(_ text: String) {
        write(text + "\n")
    }

    /// Writes one value as a single line of JSON.
    func json(_ value: some Encodable) throws(ClientFailure) {
        do {
            var data = try encoder.encode(value)
            data.append(UInt8(ascii: "\n"))
            Self.write(data, to: STDOUT_FILENO)
        } catch {
            throw ClientFailure(message: "cannot encode the reply as JSON: \(error)", status: .failedRequest)
        }
    }

    /// Writes a list: a JSON object a line, or on a terminal a line each from `line`, made with
    /// the terminal's styling.
    func list<Item: Encodable>(_ items: [Item], line: (Terminal) -> (Item) -> String) throws(ClientFailure) {
        switch format {
        case .json:
            for item in items { try json(item) }
        case .text(let terminal):
            let text = line(terminal)
            for item in items { self.line(text(item)) }
        }
    }

    /// Writes text as it is.
    func write(_ text: String) {
        Self.write(Array(text.utf8), to: STDOUT_FILENO)
    }

    /// Writes bytes as they are, whatever they encode.
    func write(bytes: [UInt8]) {
        Self.write(bytes, to: STDOUT_FILENO)
    }

    /// A line for standard error, which stays human whatever the output format.
    static func note(_ text: String) {
        write(Array((text + "\n").utf8), to: STDERR_FILENO)
    }

    /// Writes all of `bytes` to a descriptor, straight through: the client links FoundationEssentials
    /// only (Foundation's `FileHandle` would load ICU, a third of `akhbar search`'s start-up time).
    /// A reader that went away ends the writing; SIGPIPE ends the process as for any Unix tool.
    private static func write(_ bytes: some ContiguousBytes, to descriptor: Int32) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}
