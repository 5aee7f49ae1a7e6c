extension Substring {
    /// The text without surrounding whitespace or invisible format characters (NBSP, EM SPACE,
    /// bidi marks, zero-width characters, a stray BOM), which scraped lines are full of.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isBlank }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.isBlank })!
        return String(scalars[first...last])
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        if let first = unicodeScalars.first, let last = unicodeScalars.last, !first.isBlank, !last.isBlank {
            return String(self)
        }
        return Substring(self).trimmingWhitespace()
    }

    var wordCount: Int {
        var count = 0
        var inWord = false
        for scalar in unicodeScalars {
            if scalar.isBlank {
                inWord = false
            } else if !inWord {
                inWord = true
                count += 1
            }
        }
        return count
    }
}

extension Unicode.Scalar {
    /// Whitespace, or a format character that renders as nothing.
    var isBlank: Bool {
        switch value {
        // Printable ASCII and the Arabic block are by far the most common; Unicode property
        // lookups are slow enough to dominate parsing time if asked for every character.
        case 0x21...0x7E, 0x0600...0x06FF: return false
        case 0x20, 0x09...0x0D: return true
        default: return properties.isWhitespace || properties.generalCategory == .format
        }
    }
}

extension String {
    /// The text's lines, split at LF on the UTF-8 bytes; splitting by Character would run
    /// grapheme breaking over the whole file for nothing.
    var lines: [Substring] {
        var result: [Substring] = []
        let utf8 = self.utf8
        var start = utf8.startIndex
        var index = start
        while index < utf8.endIndex {
            if utf8[index] == 0x0A {
                result.append(self[start..<index])
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        result.append(self[start..<utf8.endIndex])
        return result
    }
}
