/// Identifies an article by its text, so the same story under two names is stored once.
///
/// The hash covers the title and body with every run of whitespace collapsed to one space,
/// so a copy that differs only in line breaks or indentation is the same article.
struct ContentHash {
    static func of(title: String, body: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(title.utf8.count + body.utf8.count + 1)
        appendCollapsed(title, to: &bytes)
        bytes.append(0x0A)
        appendCollapsed(body, to: &bytes)
        var sha = SHA256()
        sha.update(bytes)
        return sha.finalize().map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
        }.joined()
    }

    private static func appendCollapsed(_ text: String, to bytes: inout [UInt8]) {
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = true
                continue
            }
            if pendingSpace, !bytes.isEmpty, bytes.last != 0x0A { bytes.append(0x20) }
            pendingSpace = false
            if scalar.isASCII {
                bytes.append(UInt8(scalar.value))
            } else {
                UTF8.encode(scalar) { bytes.append($0) }
            }
        }
    }
}
