/// Whether text is a document being indexed or a query being matched.
///
/// Documents yield each word's normalized surface form and, colocated with it, its stem;
/// queries yield only normalized forms, so the query builder decides what to match.
public enum AnalysisMode: Sendable {
    case document
    case query
}

/// One term produced by analysis, with where it came from in the original text.
public struct AnalyzedTerm: Sendable, Hashable {
    public var term: String
    /// UTF-8 byte offsets into the analyzed text.
    public var range: Range<Int>
    /// True when the term shares the position of the previous one (a stem beside its surface form).
    public var colocated: Bool

    public init(term: String, range: Range<Int>, colocated: Bool) {
        self.term = term
        self.range = range
        self.colocated = colocated
    }
}

/// The one analysis used at index and query time: tokenizing, normalizing, spelling variants and stemming.
///
/// Words are runs of letters, digits and combining marks; zero-width and bidi controls inside a word
/// neither split it nor reach the term. Every term carries the byte range of the original text it came
/// from, marks and all, so highlights land on the right characters.
public struct ArabicAnalyzer: Sendable {
    /// Starts a stem term. It is punctuation to the tokenizer, so no surface form can ever begin with it,
    /// and a stem-only match can be told from, and ranked below, an exact one.
    public static let stemMarker: Unicode.Scalar = "#"

    public init() {}

    /// Scans UTF-8 text and reports each term with the byte range of the original text it came from.
    ///
    /// In `.document` mode each word yields its surface form and, when different, its marker-prefixed stem
    /// as a colocated term. In `.query` mode each word yields its surface form only, and a word written
    /// right after ``stemMarker`` is taken as an already analyzed stem and passed through with its marker.
    /// A joined compound name (عبدالله) yields two terms at consecutive positions in both modes.
    /// The `term` buffer is only valid during the call. Invalid UTF-8 bytes separate words.
    ///
    /// With `stemsAmong`, a reader that wants only some stems (the snippet builder, looking for a
    /// query's words) has a word stemmed only when its respelled form contains one of those stems:
    /// a stem is a run of its word's bytes, so no other word can have one of them.
    public func analyze(
        utf8 text: UnsafeBufferPointer<UInt8>,
        mode: AnalysisMode,
        stemsAmong wanted: [[UInt8]]? = nil,
        _ body: (_ term: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ colocated: Bool) throws -> Void
    ) rethrows {
        guard !text.isEmpty else { return }
        var scanner = Scanner(text: text, mode: mode, wantedStems: wanted)
        try scanner.run(body)
    }

    /// Reports each word's normalized bytes, split where analysis splits them (a joined compound name
    /// is two words) but neither respelled nor stemmed: a reader that sees the same words again and
    /// again respells each distinct one once, with ``respelled(_:_:)``, instead of every time.
    public func words(
        utf8 text: UnsafeBufferPointer<UInt8>, _ body: (_ word: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Void
    ) {
        guard !text.isEmpty else { return }
        var scanner = Scanner(text: text, mode: .document, wordsOnly: true)
        scanner.run { word, range, _ in body(word, range) }
    }

    /// Calls `body` with `word`, one of ``words(utf8:_:)``, as `.query` analysis emits it (respelled).
    public func respelled<Result>(
        _ word: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        let variants = CompiledVariants.shared
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: word.count + variants.maximumGrowth)
        defer { scratch.deallocate() }
        if let base = word.baseAddress { scratch.update(from: base, count: word.count) }
        return body(UnsafeBufferPointer(start: scratch, count: variants.respell(scratch, count: word.count)))
    }

    /// Where word `position` of `text` starts (counting from 0, as `.document` analysis numbers words: a
    /// compound name is two), with the number of the first word starting there (the words of a
    /// ligature such as ﷺ share its start); nil when the text has fewer words. Words are found but
    /// neither respelled nor stemmed, so a reader that knows which word matters can start analyzing
    /// there.
    public func start(ofWord position: Int, in text: UnsafeBufferPointer<UInt8>) -> (offset: Int, word: Int)? {
        struct Found: Error {
            var offset: Int
            var word: Int
        }
        guard position >= 0, !text.isEmpty else { return nil }
        var scanner = Scanner(text: text, mode: .document, wordsOnly: true)
        var words = 0
        var offset = -1
        var first = 0
        do {
            try scanner.run { _, range, _ in
                if range.lowerBound != offset {
                    offset = range.lowerBound
                    first = words
                }
                if words == position { throw Found(offset: offset, word: first) }
                words += 1
            }
        } catch {
            return (error as? Found).map { ($0.offset, $0.word) }
        }
        return nil
    }

    /// Convenience over ``analyze(utf8:mode:_:)`` for Swift strings.
    public func terms(in text: String, mode: AnalysisMode) -> [AnalyzedTerm] {
        var copy = text
        var result: [AnalyzedTerm] = []
        copy.withUTF8 { buffer in
            analyze(utf8: buffer, mode: mode) { term, range, colocated in
                result.append(
                    AnalyzedTerm(term: String(decoding: term, as: UTF8.self), range: range, colocated: colocated))
            }
        }
        return result
    }

    /// Normalizes text scalar by scalar: hamza forms, ى, ة, look-alike letters, presentation forms and
    /// digits unified; harakat, tatweel, accents and invisible controls removed; Latin case folded.
    /// Anything that is not part of a word is kept as it is. Spelling variants and stems are not applied.
    public func normalize(_ word: String) -> String {
        let table = ScalarTable.shared
        var bytes: [UInt8] = []
        bytes.reserveCapacity(word.utf8.count)
        for scalar in word.unicodeScalars {
            let kind =
                scalar.value < 0x10000
                ? table.entries[Int(scalar.value)].kind : ScalarTable.kind(ofSupplementary: scalar)
            switch kind {
            case .mapped, .phrase:
                bytes.append(contentsOf: table.replacement(of: table.entries[Int(scalar.value)]))
            case .letter, .separator:
                bytes.append(contentsOf: String(scalar).utf8)
            case .mark, .invisible:
                break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The byte range of the stem inside `term`, a word as `.query` analysis emits it (normalized and
    /// respelled): the stem `.document` analysis gives the same word, without the marker.
    public func stemRange(ofTerm term: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        ArabicStemmer.stem(term)
    }

    /// The light stem of a word (normalized first), without the marker: الحسن → حسن, ساهدات → ساهد.
    public func stem(_ word: String) -> String {
        var normalized = normalize(word)
        return normalized.withUTF8 { bytes in
            String(decoding: UnsafeBufferPointer(rebasing: bytes[ArabicStemmer.stem(bytes)]), as: UTF8.self)
        }
    }
}

extension ArabicAnalyzer {
    /// Query side only: the stems (without marker) and the words under which other inflections of a query
    /// term may be indexed, beyond the term itself and its own stem. Documents keep one stem per word, so
    /// the readings a stemmer has to choose between are matched here, at query time:
    ///
    /// | query term | also matches | because |
    /// |---|---|---|
    /// | وحوش (stem حوش), كولاجين (stem ولاج) | #وحوش, #كولاج | the first letter may be part of the word: الوحوش → وحوش, الكولاجين → كولاج |
    /// | الوجبه (stem وجب) | #جبه | the word after the article, وجبه, reads its و as a conjunction |
    /// | الكترونيه, والكترونيه (إلكترونية) | #الكترون | the ال may be part of the word: documents remove one article only (والإلكترونية → الكترون) |
    /// | مصر, صحته, وحده, زخات (nothing in front) | بمصر #كمصر …, #بصحت, #كوحد, #بزخ | ب/ل/ك/ف before a short word are not removed from documents (بيان, لبنى), and the longer word may lose a suffix the bare one keeps |
    /// | بقلم, فعدل, بصحته (ب/ل/ف + three letters) | قلم #قلم, عدل #عدل, صحت #صحت | the same, the other way round |
    ///
    /// `term` is a term as the analyzer emits it in query mode (normalized and respelled).
    func inflectionAlternatives(of term: String) -> (stems: [String], words: [String]) {
        var word = term
        return word.withUTF8 { bytes -> (stems: [String], words: [String]) in
            func text(_ range: Range<Int>, from buffer: UnsafeBufferPointer<UInt8>) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
            }
            func letters(_ string: String) -> Int { string.unicodeScalars.count }
            let range = ArabicStemmer.stem(bytes)
            let stem = text(range, from: bytes)
            var stems: [String] = []
            var words: [String] = []
            // A leading و, ب, ل, ك or ف read as part of the word.
            let kept = ArabicStemmer.stem(bytes, proclitics: false)
            if kept != range { stems.append(text(kept, from: bytes)) }
            // The word after an article form, stemmed on its own (its و then read as a conjunction).
            let article = ArabicStemmer.articlePrefixBytes(bytes)
            if article > 0 {
                let rest = UnsafeBufferPointer(rebasing: bytes[article...])
                let restStem = text(ArabicStemmer.stem(rest), from: rest)
                if restStem != stem { stems.append(restStem) }
            }
            // The article form's ال read as part of the word: إلكترونية is normalized to الكترونيه, and
            // documents stem والإلكترونية to الكترون, removing one article only.
            if article > 0, let alef = ArabicStemmer.articleStart(bytes, prefixBytes: article) {
                let whole = UnsafeBufferPointer(rebasing: bytes[alef...])
                let wholeStem = text(ArabicStemmer.stemWithoutPrefixes(whole), from: whole)
                if wholeStem != stem { stems.append(wholeStem) }
            }
            // A proclitic in front of a short word, which documents keep joined: the stemmer removes
            // ب/ل/ك/ف only when four letters are left (بمصر, كوحدة), and a longer word may lose a suffix
            // the bare word keeps (بزخات → بزخ, زخات).
            if kept.lowerBound == 0 && article == 0 {
                for proclitic in ["ب", "ل", "ك", "ف"] {
                    var joined = proclitic + term
                    let joinedStem = joined.withUTF8 { text(ArabicStemmer.stem($0), from: $0) }
                    guard joinedStem != stem, !stems.contains(joinedStem) else { continue }
                    stems.append(joinedStem)
                    if joinedStem == joined { words.append(joined) }
                }
            }
            if article == 0, letters(stem) == ArabicStemmer.minimumLetters + 1,
                let first = stem.unicodeScalars.first, first == "ب" || first == "ل" || first == "ف"
            {
                let rest = String(stem.unicodeScalars.dropFirst())
                stems.append(rest)
                words.append(rest)
            }
            return (stems, words)
        }
    }
}

extension ArabicAnalyzer {
    /// The proclitics most often written in front of a word, the article among them.
    static let commonProclitics = ["و", "ب", "ل", "ال", "وال", "بال", "لل"]

    /// Query side only: the query term's word with each of ``commonProclitics`` in front, and alone when
    /// the term came with one (الحسن → حسن, والحسن, بالحسن …; مصر → ومصر, بمصر …). They are the same
    /// word as the one typed, so ranking weighs them as the typed form itself: someone who types منطقتي
    /// wants لمنطقتي as much. Only for Arabic words; `term` is a term as the analyzer emits it in query mode.
    func prefixedForms(of term: String) -> [String] {
        guard let first = term.unicodeScalars.first, ("\u{0621}"..."\u{064A}").contains(first) else { return [] }
        var word = term
        let bare = word.withUTF8 { bytes in
            String(
                decoding: UnsafeBufferPointer(rebasing: bytes[ArabicStemmer.stem(bytes).lowerBound...]), as: UTF8.self)
        }
        // A form the stemmer would cut elsewhere (وحده is و + حده, but بحده is not ب + حده) is not this word.
        return ([bare] + Self.commonProclitics.map { $0 + bare }).filter { form in
            guard form != term else { return false }
            var copy = form
            return copy.withUTF8 { bytes in bytes.count - ArabicStemmer.stem(bytes).lowerBound == bare.utf8.count }
        }
    }
}

extension ArabicAnalyzer {
    typealias Body = (_ term: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ colocated: Bool) throws -> Void

    /// One pass over one text: decodes UTF-8 through ``ScalarTable``, gathers each word's normalized bytes
    /// into a reused buffer and hands finished words to the variant rules and the stemmer. It owns its
    /// buffers, so it cannot be copied, and frees them when it goes.
    struct Scanner: ~Copyable {
        let text: UnsafeBufferPointer<UInt8>
        let mode: AnalysisMode
        let table = ScalarTable.shared
        let variants = CompiledVariants.shared

        /// The current word's normalized bytes.
        var buffer: UnsafeMutablePointer<UInt8>
        var capacity: Int
        var length = 0
        /// Where one emitted word is respelled, followed by its marker-prefixed stem.
        var scratch: UnsafeMutablePointer<UInt8>
        var scratchCapacity: Int
        /// Where the current word starts in `text`, or nil between words.
        var wordStart: Int?
        /// Where its last letter or mark ends; invisible controls after it are not part of the word.
        var wordEnd = 0
        /// In query mode, the offset right after a stem marker: a word starting there is a stem term.
        var stemTermStart = -1
        /// The only stems wanted, if not all: see ``ArabicAnalyzer/analyze(utf8:mode:stemsAmong:_:)``.
        let wantedStems: [[UInt8]]?
        /// Reports each word's normalized bytes, not respelled, and no stems: for counting words.
        let wordsOnly: Bool

        init(
            text: UnsafeBufferPointer<UInt8>, mode: AnalysisMode, wantedStems: [[UInt8]]? = nil, wordsOnly: Bool = false
        ) {
            self.text = text
            self.mode = mode
            self.wantedStems = wantedStems
            self.wordsOnly = wordsOnly
            capacity = 256
            buffer = .allocate(capacity: capacity)
            scratchCapacity = 2 * capacity
            scratch = .allocate(capacity: scratchCapacity)
        }

        deinit {
            buffer.deallocate()
            scratch.deallocate()
        }

        mutating func run(_ body: Body) rethrows {
            let bytes = text.baseAddress!
            let count = text.count
            var index = 0
            while index < count {
                let lead = bytes[index]
                var width = 1
                var entry = ScalarEntry.separator
                if lead < 0x80 {
                    entry = table.entries[Int(lead)]
                } else if lead < 0xE0 {
                    if lead >= 0xC2, index + 1 < count, bytes[index + 1] & 0xC0 == 0x80 {
                        width = 2
                        entry = table.entries[Int(lead & 0x1F) << 6 | Int(bytes[index + 1] & 0x3F)]
                    }
                } else if lead < 0xF0 {
                    if index + 2 < count, bytes[index + 1] & 0xC0 == 0x80, bytes[index + 2] & 0xC0 == 0x80 {
                        let value =
                            Int(lead & 0x0F) << 12 | Int(bytes[index + 1] & 0x3F) << 6 | Int(bytes[index + 2] & 0x3F)
                        if value >= 0x800, !(0xD800...0xDFFF).contains(value) {
                            width = 3
                            entry = table.entries[value]
                        }
                    }
                } else if lead < 0xF5 {
                    if index + 3 < count, bytes[index + 1] & 0xC0 == 0x80, bytes[index + 2] & 0xC0 == 0x80,
                        bytes[index + 3] & 0xC0 == 0x80
                    {
                        let value =
                            UInt32(lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
                            | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F)
                        if value >= 0x10000, let scalar = Unicode.Scalar(value) {
                            width = 4
                            entry.kind = ScalarTable.kind(ofSupplementary: scalar)
                        }
                    }
                }

                switch entry.kind {
                case .letter:
                    if wordStart == nil { wordStart = index }
                    append(UnsafeBufferPointer(start: bytes + index, count: width))
                    wordEnd = index + width
                case .mapped:
                    if wordStart == nil { wordStart = index }
                    append(table.replacement(of: entry))
                    wordEnd = index + width
                case .mark:
                    if wordStart == nil { wordStart = index }
                    wordEnd = index + width
                case .invisible:
                    break
                case .separator:
                    try finishWord(body)
                    if mode == .query, lead == UInt8(ArabicAnalyzer.stemMarker.value) { stemTermStart = index + 1 }
                case .phrase:
                    try appendPhrase(entry, at: index, width: width, body)
                }
                index += width
            }
            try finishWord(body)
        }

        /// A ligature standing for several words (ﷺ): each of its words gets the ligature's range.
        private mutating func appendPhrase(_ entry: ScalarEntry, at index: Int, width: Int, _ body: Body) rethrows {
            if wordStart == nil { wordStart = index }
            wordEnd = index + width
            for byte in table.replacement(of: entry) {
                if byte == 0x20 {
                    try finishWord(body)
                    wordStart = index
                    wordEnd = index + width
                } else {
                    append(CollectionOfOne(byte))
                }
            }
        }

        private mutating func append<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
            if length + bytes.count > capacity { grow(to: length + bytes.count) }
            for byte in bytes {
                buffer[length] = byte
                length += 1
            }
        }

        private mutating func grow(to needed: Int) {
            let newCapacity = max(needed, capacity * 2)
            let newBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newBuffer.update(from: buffer, count: length)
            buffer.deallocate()
            buffer = newBuffer
            capacity = newCapacity
        }

        private mutating func finishWord(_ body: Body) rethrows {
            guard let start = wordStart else { return }
            defer {
                wordStart = nil
                length = 0
                stemTermStart = -1
            }
            guard length > 0 else { return }
            let range = start..<wordEnd
            if start == stemTermStart {
                try emitStemTerm(range, body)
                return
            }
            if let split = variants.compoundSplit(UnsafeBufferPointer(start: buffer, count: length)) {
                let boundary = sourceOffset(afterNormalizedBytes: split, in: range)
                let whole = length
                try emitWord(bytesFrom: 0, to: split, range: start..<boundary, body)
                try emitWord(bytesFrom: split, to: whole, range: boundary..<wordEnd, body)
            } else {
                try emitWord(bytesFrom: 0, to: length, range: range, body)
            }
        }

        /// Query mode's pass-through for a term the query builder wrote as marker + stem.
        private mutating func emitStemTerm(_ range: Range<Int>, _ body: Body) rethrows {
            reserveScratch(length + 1)
            scratch[0] = UInt8(ArabicAnalyzer.stemMarker.value)
            (scratch + 1).update(from: buffer, count: length)
            try body(
                UnsafeBufferPointer(start: scratch, count: length + 1), (range.lowerBound - 1)..<range.upperBound, false
            )
        }

        /// Emits `buffer[from..<to]` as one word: spelling variants applied, then surface and stem.
        private mutating func emitWord(bytesFrom from: Int, to: Int, range: Range<Int>, _ body: Body) rethrows {
            let wordLength = to - from
            if wordsOnly {
                try body(UnsafeBufferPointer(start: buffer + from, count: wordLength), range, false)
                return
            }
            // The respelled word, then the marker and the stem, which is never longer than the word.
            reserveScratch(2 * (wordLength + variants.maximumGrowth) + 1)
            scratch.update(from: buffer + from, count: wordLength)
            let count = variants.respell(scratch, count: wordLength)
            let surface = UnsafeBufferPointer(start: scratch, count: count)
            try body(surface, range, false)
            guard mode == .document else { return }
            if let wantedStems, !wantedStems.contains(where: { Self.contains(surface, $0) }) { return }
            let stem = ArabicStemmer.stem(surface)
            guard stem.count != count else { return }
            let stemTerm = scratch + count
            stemTerm[0] = UInt8(ArabicAnalyzer.stemMarker.value)
            (stemTerm + 1).update(from: scratch + stem.lowerBound, count: stem.count)
            try body(UnsafeBufferPointer(start: stemTerm, count: stem.count + 1), range, true)
        }

        /// Whether `part` occurs in `whole` as a run of bytes.
        private static func contains(_ whole: UnsafeBufferPointer<UInt8>, _ part: [UInt8]) -> Bool {
            guard let first = part.first, part.count <= whole.count else { return part.isEmpty }
            var start = 0
            while start + part.count <= whole.count {
                if whole[start] == first {
                    var index = 1
                    while index < part.count && whole[start + index] == part[index] { index += 1 }
                    if index == part.count { return true }
                }
                start += 1
            }
            return false
        }

        private mutating func reserveScratch(_ needed: Int) {
            guard needed > scratchCapacity else { return }
            scratch.deallocate()
            scratchCapacity = max(needed, 2 * scratchCapacity)
            scratch = .allocate(capacity: scratchCapacity)
        }

        /// The offset in `range` of the original text where the first `normalized` bytes of the word end:
        /// just before the next scalar that adds bytes, so marks stay with the letter they sit on.
        private func sourceOffset(afterNormalizedBytes normalized: Int, in range: Range<Int>) -> Int {
            var produced = 0
            var index = range.lowerBound
            while index < range.upperBound {
                let (entry, width) = decode(at: index)
                let adds: Int
                switch entry.kind {
                case .letter: adds = width
                case .mapped, .phrase: adds = Int(entry.length)
                case .mark, .invisible, .separator: adds = 0
                }
                if adds > 0 && produced >= normalized { return index }
                produced += adds
                index += width
            }
            return range.upperBound
        }

        /// Decodes one scalar of valid UTF-8 inside a word (the main loop has already validated it).
        private func decode(at index: Int) -> (ScalarEntry, Int) {
            let lead = text[index]
            if lead < 0x80 { return (table.entries[Int(lead)], 1) }
            if lead < 0xE0 { return (table.entries[Int(lead & 0x1F) << 6 | Int(text[index + 1] & 0x3F)], 2) }
            if lead < 0xF0 {
                return (
                    table.entries[
                        Int(lead & 0x0F) << 12 | Int(text[index + 1] & 0x3F) << 6 | Int(text[index + 2] & 0x3F)], 3
                )
            }
            let value =
                UInt32(lead & 0x07) << 18 | UInt32(text[index + 1] & 0x3F) << 12
                | UInt32(text[index + 2] & 0x3F) << 6 | UInt32(text[index + 3] & 0x3F)
            let kind = Unicode.Scalar(value).map(ScalarTable.kind(ofSupplementary:)) ?? .separator
            return (ScalarEntry(kind: kind, length: 0, offset: 0), 4)
        }
    }
}
