/// File names are bytes, not text: SMB shares and old scrapers write names in Windows-1256 or
/// Latin-1. The daemon carries every path as text in which each byte that is not part of valid
/// UTF-8 is written `\xNN`, as `ls -b` and systemd show them; the store, the log and every reply
/// hold that form, and the exact bytes come back from it whenever a file is opened.
///
/// Names that are valid UTF-8, the paths already in the store among them, are their own escaped
/// form, except for a backslash followed by `x` and two hex digits, which is written `\x5c` so
/// that it is not read back as an escape.
enum EscapedPath {
    /// The text form of a name or path given as raw bytes.
    static func text<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        let bytes = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let length = validSequenceLength(bytes, at: index)
            if length == 0 {
                output += escape(bytes[index])
                index += 1
            } else if bytes[index] == backslash, looksLikeEscape(bytes, at: index) {
                output += escape(backslash)
                index += 1
            } else {
                output += bytes[index..<(index + length)]
                index += length
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The raw bytes a text form stands for.
    static func bytes(_ text: String) -> [UInt8] {
        bytes(utf8: text.utf8)
    }

    /// The raw bytes the UTF-8 of a text form stands for.
    static func bytes(utf8 text: some Sequence<UInt8>) -> [UInt8] {
        let utf8 = Array(text)
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            if utf8[index] == backslash, looksLikeEscape(utf8, at: index),
                let high = hexValue(utf8[index + 2]), let low = hexValue(utf8[index + 3])
            {
                output.append(high << 4 | low)
                index += 4
            } else {
                output.append(utf8[index])
                index += 1
            }
        }
        return output
    }

    private static let backslash = UInt8(ascii: "\\")

    private static func escape(_ byte: UInt8) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        return [backslash, UInt8(ascii: "x"), digits[Int(byte >> 4)], digits[Int(byte & 0xF)]]
    }

    private static func looksLikeEscape(_ bytes: [UInt8], at index: Int) -> Bool {
        index + 3 < bytes.count && bytes[index + 1] == UInt8(ascii: "x") && hexValue(bytes[index + 2]) != nil
            && hexValue(bytes[index + 3]) != nil
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The length of the well-formed UTF-8 sequence starting at `index`, or 0 when it is not one
    /// (stray continuation bytes, overlong forms, surrogates, values past U+10FFFF, truncation).
    private static func validSequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            secondRange = 0xA0...0xBF
        case 0xED:
            length = 3
            secondRange = 0x80...0x9F
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xF0:
            length = 4
            secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            secondRange = 0x80...0x8F
        default: return 0
        }
        guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else { return 0 }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) { return 0 }
        return length
    }
}
