/// Identifies an article by the text of its file, so the same file under two names is stored once.
///
/// The hash covers the article's original text (the whole text file, or the JSON record it came
/// from) with every run of whitespace collapsed to one space: a copy that differs only in line
/// breaks or indentation is the same article, and one that differs in any line is another (a
/// near-duplicate, clustered with it), whose own lines and metadata are kept.
struct ContentHash {
    static func of(text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        appendCollapsed(text, to: &bytes)
        return SHA256.hex(of: bytes)
    }

    /// Copies the UTF-8 of `text`, each run of whitespace (Unicode's White_Space) reduced to one
    /// space and none at the ends. Works on bytes: this runs for every ingested article.
    private static func appendCollapsed(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            let start = bytes.count
            var pendingSpace = false
            var index = 0
            while index < utf8.count {
                let width = whitespaceWidth(utf8, at: index)
                if width > 0 {
                    pendingSpace = true
                    index += width
                    continue
                }
                if pendingSpace, bytes.count > start { bytes.append(0x20) }
                pendingSpace = false
                bytes.append(utf8[index])
                index += 1
            }
        }
    }

    /// The byte length of the whitespace character starting at `index`, or 0.
    private static func whitespaceWidth(_ utf8: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let lead = utf8[index]
        switch lead {
        case 0x09...0x0D, 0x20: return 1
        case 0xC2:
            guard index + 1 < utf8.count else { return 0 }
            return utf8[index + 1] == 0x85 || utf8[index + 1] == 0xA0 ? 2 : 0
        case 0xE1, 0xE2, 0xE3:
            guard index + 2 < utf8.count else { return 0 }
            let (b1, b2) = (utf8[index + 1], utf8[index + 2])
            switch (lead, b1) {
            case (0xE1, 0x9A): return b2 == 0x80 ? 3 : 0  // U+1680
            case (0xE2, 0x80): return (0x80...0x8A).contains(b2) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF ? 3 : 0
            case (0xE2, 0x81): return b2 == 0x9F ? 3 : 0  // U+205F
            case (0xE3, 0x80): return b2 == 0x80 ? 3 : 0  // U+3000
            default: return 0
            }
        default: return 0
        }
    }
}
