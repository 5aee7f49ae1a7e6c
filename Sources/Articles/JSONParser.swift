/// A small, strict-enough JSON parser over UTF-8 bytes.
///
/// Written here rather than using JSONSerialization so that it reports where an error is, gives
/// the byte range of each element of a top-level array (an article's `original` text), keeps
/// object member order, and has a nesting limit so hostile input cannot exhaust the stack.
struct JSONParser {
    struct SyntaxError: Error, Sendable, CustomStringConvertible {
        var message: String
        /// Byte offset into the parsed text.
        var offset: Int
        var description: String { "\(message) at byte \(offset)" }
    }

    private static let maxDepth = 128

    private let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var atEnd: Bool { position >= bytes.count }

    /// Parses exactly one value filling the whole input (surrounding whitespace allowed).
    static func parseDocument(_ bytes: [UInt8]) throws(SyntaxError) -> JSONValue {
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if !parser.atEnd { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    /// Consumes `byte` (after whitespace) if it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        if peek() == byte {
            position += 1
            return true
        }
        return false
    }

    func error(_ message: String) -> SyntaxError {
        SyntaxError(message: atEnd ? "unexpected end of input (truncated?)" : message, offset: position)
    }

    mutating func parseValue(depth: Int) throws(SyntaxError) -> JSONValue {
        skipWhitespace()
        guard let byte = peek() else { throw error("expected a value") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectWord("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectWord("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectWord("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected character")
        }
    }

    private mutating func expectWord(_ word: String) throws(SyntaxError) {
        let count = word.utf8.count
        guard position + count <= bytes.count, bytes[position..<(position + count)].elementsEqual(word.utf8) else {
            throw error("invalid literal")
        }
        position += count
    }

    private mutating func parseObject(depth: Int) throws(SyntaxError) -> JSONValue {
        if depth > Self.maxDepth { throw error("nested too deeply") }
        position += 1
        var members: [JSONValue.Member] = []
        if consume(UInt8(ascii: "}")) { return .object(members) }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw error("expected a member name") }
            let key = try parseString()
            guard consume(UInt8(ascii: ":")) else { throw error("expected ':'") }
            let value = try parseValue(depth: depth)
            members.append(.init(key: key, value: value))
            if consume(UInt8(ascii: ",")) { continue }
            if consume(UInt8(ascii: "}")) { return .object(members) }
            throw error("expected ',' or '}'")
        }
    }

    private mutating func parseArray(depth: Int) throws(SyntaxError) -> JSONValue {
        if depth > Self.maxDepth { throw error("nested too deeply") }
        position += 1
        var elements: [JSONValue] = []
        if consume(UInt8(ascii: "]")) { return .array(elements) }
        while true {
            elements.append(try parseValue(depth: depth))
            if consume(UInt8(ascii: ",")) { continue }
            if consume(UInt8(ascii: "]")) { return .array(elements) }
            throw error("expected ',' or ']'")
        }
    }

    private mutating func parseNumber() throws(SyntaxError) -> String {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        var digits = 0
        while let byte = peek(),
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "-")
        {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") { digits += 1 }
            position += 1
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard digits > 0, Double(text) != nil else { throw error("invalid number") }
        return text
    }

    private mutating func parseString() throws(SyntaxError) -> String {
        position += 1
        let start = position
        // Fast path: no escapes, which is nearly every string scrapers write.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: bytes[start..<position], as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            position += 1
        }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: String(decoding: bytes[start..<position], as: UTF8.self).unicodeScalars)
        var pendingHighSurrogate: UInt32?
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                if pendingHighSurrogate != nil { scalars.append("\u{FFFD}") }
                position += 1
                return String(scalars)
            }
            if byte != UInt8(ascii: "\\") {
                if pendingHighSurrogate != nil {
                    scalars.append("\u{FFFD}")
                    pendingHighSurrogate = nil
                }
                let runStart = position
                while position < bytes.count, bytes[position] != UInt8(ascii: "\""),
                    bytes[position] != UInt8(ascii: "\\")
                {
                    position += 1
                }
                scalars.append(contentsOf: String(decoding: bytes[runStart..<position], as: UTF8.self).unicodeScalars)
                continue
            }
            position += 1
            guard let escape = peek() else { break }
            position += 1
            var literal: Unicode.Scalar?
            switch escape {
            case UInt8(ascii: "\""): literal = "\""
            case UInt8(ascii: "\\"): literal = "\\"
            case UInt8(ascii: "/"): literal = "/"
            case UInt8(ascii: "b"): literal = "\u{08}"
            case UInt8(ascii: "f"): literal = "\u{0C}"
            case UInt8(ascii: "n"): literal = "\n"
            case UInt8(ascii: "r"): literal = "\r"
            case UInt8(ascii: "t"): literal = "\t"
            case UInt8(ascii: "u"):
                let unit = try parseHex4()
                if let high = pendingHighSurrogate {
                    pendingHighSurrogate = nil
                    if (0xDC00...0xDFFF).contains(unit) {
                        scalars.append(Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00))!)
                        continue
                    }
                    scalars.append("\u{FFFD}")
                }
                if (0xD800...0xDBFF).contains(unit) {
                    pendingHighSurrogate = unit
                    continue
                }
                literal = Unicode.Scalar(unit) ?? "\u{FFFD}"
            default: throw error("invalid escape")
            }
            if pendingHighSurrogate != nil {
                scalars.append("\u{FFFD}")
                pendingHighSurrogate = nil
            }
            if let literal { scalars.append(literal) }
        }
        throw error("unterminated string")
    }

    private mutating func parseHex4() throws(SyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }
}
