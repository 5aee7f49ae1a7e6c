/// Light stemming of a normalized word, in the manner of Larkey's light10 (the algorithm behind Lucene's
/// ArabicStemFilter) and a little further, never leaving fewer than three letters:
///
/// 1. at most one article, or conjunction/preposition fused with the article, or a conjunction و, is
///    removed from the front (light10's list plus وبال, فبال, وكال, فكال, ولل, فلل);
/// 2. light10's suffixes are removed from the back;
/// 3. a conjunction and/or preposition attached to a word without the article (بمشاركة, لمصلحة, فبدأت,
///    وبحضور) is removed last, and only when at least four letters are left (see ``proclitics``).
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

    /// Step 1, longest first so that وبال wins over و: light10's ال وال بال كال فال لل و, plus a conjunction
    /// before a preposition and the article.
    static let prefixes: [Affix] = [
        "وبال", "فبال", "وكال", "فكال",
        "وال", "بال", "كال", "فال", "ولل", "فلل",
        "ال", "لل",
        "و",
    ].map(Affix.init)

    static let article = Affix("ال")
    static let conjunction = Affix("و")

    /// Step 2: light10's suffixes in its order; its ة forms are left out because normalization already
    /// made them ه.
    static let suffixes: [Affix] = ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"].map(Affix.init)

    /// Step 3: prepositions ب ل ك, alone or after the conjunction ف, and ف alone, in front of a word that
    /// had no article. These letters also begin many words, so they are removed only when
    /// - what is left after the suffixes has at least ``minimumAfterProclitic`` letters (not كمال, فيصل,
    ///   بيان, كبير); deciding after the suffixes keeps every inflection of a word on the same side
    ///   (كبير and كبيرة both stay whole);
    /// - the next letter is not ي, which begins most names and loanwords that start with these letters
    ///   (ليبيا, بيروت, فيروس, فيسبوك, كينيا) far more often than a proclitic stands before it;
    /// - the word has at most ``maximumProcliticWordLetters`` letters (longer runs are not words).
    /// After step 1's و only a preposition can follow (وبحضور); و never follows ف.
    static let proclitics: [Affix] = ["فب", "فل", "فك", "ب", "ل", "ك", "ف"].map(Affix.init)
    static let prepositions: [Affix] = ["ب", "ل", "ك"].map(Affix.init)
    static let minimumAfterProclitic = 4
    static let maximumProcliticWordLetters = 16
    /// ي in UTF-8 (D9 8A), as loaded by ``load(_:from:count:)``.
    static let yeh: UInt64 = 0x8AD9

    /// The byte range of the stem inside `word`, a normalized word. With `proclitics` false only article
    /// forms are removed from the front: a lone و (step 1) and step 3's letters are taken as part of the
    /// word (وحوش as in الوحوش, كولاجين as in الكولاجين); the query builder uses it to match both readings.
    static func stem(_ word: UnsafeBufferPointer<UInt8>, proclitics: Bool = true) -> Range<Int> {
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
            if !proclitics && prefix.letters == 1 { break }
            lower = prefix.bytes
            letters -= prefix.letters
            break
        }
        // An article too long to remove (الله, الحج) is no part of the stem: suffixes must leave two
        // letters after it, so الله is not cut to الل.
        let floor = lower == 0 && head & article.mask == article.value ? article.letters + 2 : minimumLetters
        removeSuffixes(word, upper: &upper, letters: &letters, floor: floor)

        // Step 3, only in front of no article and with enough letters left (both checked cheaply first).
        guard proclitics, letters > minimumAfterProclitic, letters <= maximumProcliticWordLetters,
            lower == 0 || (lower == Self.conjunction.bytes && head & Self.conjunction.mask == Self.conjunction.value)
        else { return lower..<upper }
        let rest = load(word, from: lower, count: min(6, upper - lower))
        for proclitic in lower == 0 ? Self.proclitics : Self.prepositions
        where letters - proclitic.letters >= minimumAfterProclitic && rest & proclitic.mask == proclitic.value {
            if (rest >> (8 * UInt64(proclitic.bytes))) & 0xFFFF != yeh { lower += proclitic.bytes }
            break
        }
        return lower..<upper
    }

    /// The byte range of `word` without its suffixes (step 2 alone), for a word whose front is known to
    /// be no affix: what is left of الإلكترونية once its first article is removed.
    static func stemWithoutPrefixes(_ word: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var letters = 0
        for byte in word where byte & 0xC0 != 0x80 { letters += 1 }
        var upper = word.count
        removeSuffixes(word, upper: &upper, letters: &letters, floor: minimumLetters)
        return 0..<upper
    }

    private static func removeSuffixes(
        _ word: UnsafeBufferPointer<UInt8>, upper: inout Int, letters: inout Int, floor: Int
    ) {
        for suffix in suffixes where letters - suffix.letters >= floor {
            let start = upper - suffix.bytes
            if load(word, from: start, count: suffix.bytes) == suffix.value {
                upper = start
                letters -= suffix.letters
            }
        }
    }

    /// The bytes of the article form (ال, وال, بال, لل, وبال …) that step 1 removes from `word`, or 0.
    static func articlePrefixBytes(_ word: UnsafeBufferPointer<UInt8>) -> Int {
        guard word.count >= 8 else { return 0 }
        var letters = 0
        for byte in word where byte & 0xC0 != 0x80 { letters += 1 }
        let head = load(word, from: 0, count: min(8, word.count))
        for prefix in prefixes
        where prefix.letters > 1 && letters - prefix.letters >= minimumLetters && head & prefix.mask == prefix.value {
            return prefix.bytes
        }
        return 0
    }

    /// Where the article ال begins inside an article form of `prefixBytes` bytes at the front of `word`
    /// (0 for ال, 1 letter in for وال …), or nil for لل and its kin, whose alef is elided.
    static func articleStart(_ word: UnsafeBufferPointer<UInt8>, prefixBytes: Int) -> Int? {
        guard prefixBytes >= article.bytes, prefixBytes <= word.count else { return nil }
        let start = prefixBytes - article.bytes
        return load(word, from: start, count: article.bytes) == article.value ? start : nil
    }

    private static func load(_ word: UnsafeBufferPointer<UInt8>, from start: Int, count: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<count {
            value |= UInt64(word[start + index]) << (8 * UInt64(index))
        }
        return value
    }
}
