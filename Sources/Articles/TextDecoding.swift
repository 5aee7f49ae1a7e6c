/// Turns a text file's bytes into a String: picks the encoding, drops the byte-order mark and
/// normalizes line ends to LF.
///
/// Policy, in order:
/// - A UTF-16 BOM (LE or BE) means UTF-16; a UTF-8 BOM means UTF-8 and nothing else.
/// - NUL bytes (outside UTF-16) mean the file is not text.
/// - Valid UTF-8 is UTF-8.
/// - Bytes that are not UTF-8 are read as Windows-1256 when that yields plausible Arabic text.
/// - Bytes that are *mostly* valid UTF-8 with a few broken sequences are rejected, not guessed:
///   reading them as Windows-1256 would index mojibake (UTF-8 Arabic read as 1256 is itself
///   Arabic-looking), and replacing the broken bytes would silently change words. Such files are
///   damaged copies; the rejection names the offset, and the file is retried once it changes.
enum TextDecoding {
    enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case utf16LittleEndian = "UTF-16LE"
        case utf16BigEndian = "UTF-16BE"
        case windows1256 = "Windows-1256"
    }

    struct Decoded {
        var text: String
        var encoding: Encoding
    }

    static func decode(_ bytes: [UInt8]) throws(DropFileRejection) -> Decoded {
        if bytes.isEmpty { throw DropFileRejection("empty: the file has no bytes") }
        let decoded: Decoded
        if bytes.starts(with: [0xFF, 0xFE]) {
            decoded = Decoded(text: try decodeUTF16(bytes.dropFirst(2), bigEndian: false), encoding: .utf16LittleEndian)
        } else if bytes.starts(with: [0xFE, 0xFF]) {
            decoded = Decoded(text: try decodeUTF16(bytes.dropFirst(2), bigEndian: true), encoding: .utf16BigEndian)
        } else {
            let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
            let body = hasBOM ? bytes.dropFirst(3) : bytes[...]
            if let nul = body.firstIndex(of: 0) {
                throw DropFileRejection("not text: NUL byte at offset \(nul)")
            }
            decoded = try decode8Bit(body, declaredUTF8: hasBOM)
        }
        var text = decoded.text
        // A second BOM right after the first one, or one left by a tool that added its own.
        while text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        if text.unicodeScalars.contains("\0") { throw DropFileRejection("not text: contains NUL characters") }
        text = normalizeLineEnds(text)
        if text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace || $0.properties.generalCategory == .format }) {
            throw DropFileRejection(text.isEmpty ? "empty: nothing but a byte-order mark" : "empty: only whitespace")
        }
        return Decoded(text: text, encoding: decoded.encoding)
    }

    private static func decodeUTF16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) throws(DropFileRejection) -> String {
        if bytes.count % 2 != 0 { throw DropFileRejection("not text: UTF-16 file with an odd number of bytes") }
        var units = [UInt16]()
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let first = UInt16(bytes[index])
            let second = UInt16(bytes[index + 1])
            units.append(bigEndian ? first << 8 | second : second << 8 | first)
            index += 2
        }
        guard let text = String(validating: units, as: UTF16.self) else {
            throw DropFileRejection("not text: invalid UTF-16 (unpaired surrogate)")
        }
        return text
    }

    private static func decode8Bit(_ bytes: ArraySlice<UInt8>, declaredUTF8: Bool) throws(DropFileRejection) -> Decoded
    {
        let scan = UTF8Scan(bytes)
        if scan.firstInvalidOffset == nil {
            return Decoded(text: String(decoding: bytes, as: UTF8.self), encoding: .utf8)
        }
        let offset = scan.firstInvalidOffset! + (declaredUTF8 ? 3 : 0)
        if scan.onlyTruncatedAtEnd {
            throw DropFileRejection("not text: ends inside a UTF-8 character at offset \(offset) (truncated file?)")
        }
        if declaredUTF8 || scan.validMultibyte >= scan.invalidSequences {
            throw DropFileRejection("not text: invalid UTF-8 at offset \(offset) in an otherwise UTF-8 file")
        }
        let text = Windows1256.decode(bytes)
        guard looksLikeArabicText(text) else {
            throw DropFileRejection(
                "not text: neither UTF-8 nor Windows-1256 Arabic (first invalid UTF-8 byte at offset \(offset))")
        }
        return Decoded(text: text, encoding: .windows1256)
    }

    /// Windows-1256 assigns every byte, so plausibility is judged on the result: hardly any
    /// control characters, most letters Arabic, and words — spaces between them and a varied
    /// alphabet, which a run of one repeated byte value does not have.
    private static func looksLikeArabicText(_ text: String) -> Bool {
        var arabic = 0
        var otherLetters = 0
        var controls = 0
        var spaces = 0
        var total = 0
        var distinct = Set<UInt32>()
        for scalar in text.unicodeScalars {
            total += 1
            switch scalar.value {
            case 0x0621...0x064A, 0x0671...0x06D3:
                arabic += 1
                if distinct.count < 16 { distinct.insert(scalar.value) }
            case 0x064B...0x065F, 0x0670: break  // harakat: Arabic, though not letters
            case 0x20, 0x0A: spaces += 1
            case 0x09, 0x0B, 0x0C, 0x0D, 0x1A: break
            case 0x00...0x1F, 0x7F: controls += 1
            default: if scalar.properties.isAlphabetic { otherLetters += 1 }
            }
        }
        if controls * 200 <= total && arabic >= 8 && arabic * 2 >= arabic + otherLetters && distinct.count >= 8
            && spaces * 40 >= total
        {
            return true
        }
        // A headline ("كاريكاتير") may have too few words and letters for that; it is taken when
        // it is Arabic letters and nothing else a headline is made of, which stray bytes decoded
        // this way almost never are (each is an Arabic letter one time in seven).
        return total < Self.shortText && controls == 0 && otherLetters == 0 && arabic >= 3 && distinct.count >= 3
            && text.unicodeScalars.allSatisfy { Self.isHeadlineScalar($0) }
    }

    /// Characters, below which a text is judged as a headline: ``looksLikeArabicText(_:)``.
    private static let shortText = 64

    /// Arabic letters and marks, digits, spaces and the punctuation of a dated headline.
    private static func isHeadlineScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0621...0x065F, 0x0660...0x0670, 0x0671...0x06D3, 0x060C, 0x061B, 0x061F: true
        case 0x30...0x39, 0x20, 0x0A, 0x09, 0x0D: true
        default: "/-.,:;()«»!\"'".unicodeScalars.contains(scalar)
        }
    }

    private static func normalizeLineEnds(_ text: String) -> String {
        guard text.utf8.contains(0x0D) else { return text }
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        var previousWasCR = false
        for byte in text.utf8 {
            if byte == 0x0D {
                out.append(0x0A)
                previousWasCR = true
                continue
            }
            if byte == 0x0A && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = false
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// One pass over bytes that counts well-formed multi-byte UTF-8 sequences and broken ones, so a
/// mostly-UTF-8 file with damage can be told from a legacy 8-bit file.
struct UTF8Scan {
    private(set) var validMultibyte = 0
    private(set) var invalidSequences = 0
    private(set) var firstInvalidOffset: Int?
    /// The only defect is an incomplete sequence at the very end.
    private(set) var onlyTruncatedAtEnd = false

    init(_ bytes: ArraySlice<UInt8>) {
        var index = bytes.startIndex
        let end = bytes.endIndex
        while index < end {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var lowerSecond: UInt8 = 0x80
            var upperSecond: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                lowerSecond = 0xA0
            case 0xE1...0xEC, 0xEE, 0xEF: length = 3
            case 0xED:
                length = 3
                upperSecond = 0x9F
            case 0xF0:
                length = 4
                lowerSecond = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                upperSecond = 0x8F
            default: length = 0
            }
            var valid = length > 0
            var consumed = 1
            var truncated = false
            if valid {
                for offset in 1..<length {
                    guard index + offset < end else {
                        valid = false
                        truncated = true
                        break
                    }
                    let byte = bytes[index + offset]
                    let (low, high) = offset == 1 ? (lowerSecond, upperSecond) : (0x80, 0xBF)
                    guard byte >= low && byte <= high else {
                        valid = false
                        break
                    }
                    consumed += 1
                }
            }
            if valid {
                validMultibyte += 1
            } else {
                if firstInvalidOffset == nil {
                    firstInvalidOffset = index - bytes.startIndex
                    onlyTruncatedAtEnd = truncated
                } else {
                    onlyTruncatedAtEnd = false
                }
                invalidSequences += 1
            }
            index += consumed
        }
    }
}
