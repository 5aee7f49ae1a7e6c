/// Light stemming of a normalized word: at most one attached article or preposition is removed from the
/// front, then the common suffixes from the back, in the manner of Larkey's light10 (the algorithm behind
/// Lucene's ArabicStemFilter), never leaving fewer than three letters.
///
/// Works on the UTF-8 bytes of a normalized word and returns a byte range, so stemming allocates nothing.
struct ArabicStemmer: Sendable {
    /// An affix of Arabic letters, kept as integers so a comparison is one load and one compare.
    struct Affix: Sendable {
        let bytes: Int
        let letters: Int
        /// The affix's bytes, first byte in the lowest bits.
        let value: UInt64

        init(_ text: String) {
            let utf8 = Array(text.utf8)
            precondition(utf8.count <= 8)
            bytes = utf8.count
            letters = text.unicodeScalars.count
            value = utf8.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * $1.offset) }
        }

        var mask: UInt64 { bytes == 8 ? .max : (1 << (8 * UInt64(bytes))) - 1 }
    }

    /// The shortest stem left behind; shorter stems of Arabic words are mostly other words.
    static let minimumLetters = 3

    /// Longest first, so وبال wins over و. Light10's list plus prepositions attached before the article.
    static let prefixes: [Affix] = ["وبال", "فبال", "وكال", "وال", "بال", "كال", "فال", "ولل", "ال", "لل", "و"].map(Affix.init)

    static let article = Affix("ال")

    /// Light10's suffixes in its order; its ة forms are left out because normalization already made them ه.
    static let suffixes: [Affix] = ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"].map(Affix.init)

    /// The byte range of the stem inside `word`, a normalized word.
    static func stem(_ word: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let count = word.count
        // Every affix starts with an Arabic letter (lead byte D8 or D9); other words are left alone.
        guard count >= 8, word[0] & 0xFE == 0xD8 || word[count - 2] & 0xFE == 0xD8 else { return 0..<count }
        var letters = 0
        for byte in word where byte & 0xC0 != 0x80 { letters += 1 }
        guard letters > minimumLetters else { return 0..<count }

        var lower = 0
        var upper = count
        let head = load(word, from: 0, count: min(8, count))
        for prefix in prefixes where letters - prefix.letters >= minimumLetters && head & prefix.mask == prefix.value {
            lower = prefix.bytes
            letters -= prefix.letters
            break
        }
        // An article too long to remove (الله, الحج) is no part of the stem: suffixes must leave two
        // letters after it, so الله is not cut to الل.
        let floor = lower == 0 && head & article.mask == article.value ? article.letters + 2 : minimumLetters
        for suffix in suffixes where letters - suffix.letters >= floor {
            let start = upper - suffix.bytes
            if load(word, from: start, count: suffix.bytes) == suffix.value {
                upper = start
                letters -= suffix.letters
            }
        }
        return lower..<upper
    }

    private static func load(_ word: UnsafeBufferPointer<UInt8>, from start: Int, count: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<count {
            value |= UInt64(word[start + index]) << (8 * UInt64(index))
        }
        return value
    }
}
