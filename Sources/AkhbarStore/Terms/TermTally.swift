import ArabicText
import Foundation

/// How many articles of a set use each word, its inflections counted together, and each two-word
/// phrase: what ``ArticleStore/terms(_:)`` compares, for the matching articles and for a sample of
/// the archive.
///
/// A word is keyed by its stem, or by itself when it is its own stem: the way the full-text index
/// keeps it (see ``TermKey``). A phrase is two such words with nothing but spaces between them.
/// Stopwords (and words whose stem is one), one-letter words and numbers are left out.
struct TermTally: Sendable {
    /// A word or a phrase, by its numbers in this tally.
    enum Term: Hashable, Sendable {
        case word(Int32)
        /// Two word numbers, packed by ``PairCounts/pack(_:_:)``.
        case pair(UInt64)
    }

    /// Keys, numbered.
    private var terms = TermInterner()
    /// Each word's key, once worked out.
    private var words = WordKeys()
    /// Per key number, side by side so that a word costs one cache line.
    private var info: [Info] = []
    /// Phrases, once counted (``finishPairs(minimum:)``): pairs of key numbers and their articles.
    private var pairs = PairCounts()
    /// Until then, every article's distinct phrases, article after article. Sorting them all once
    /// and counting runs costs a fraction of a table lookup a phrase, which missed the cache nearly
    /// every time and was a third of the tally.
    private var pairUses: [UInt64] = []
    /// The phrases of the article being added.
    private var articlePairs: [UInt64] = []
    /// Whether phrases are counted.
    private let countsPairs: Bool
    /// Where each article first wrote each word, and every phrase it wrote, when kept: how the
    /// articles write a term is then read from their text, without analysing it again.
    private var firstUses: [FirstUse]?
    /// Where each article's first uses begin in `firstUses`.
    private var articleUses: [Int32] = []
    /// Articles added.
    private(set) var articleCount = 0

    private static let unknown: Int32 = -2
    private static let excluded: Int32 = -1

    init(pairs: Bool, keepsForms: Bool) {
        countsPairs = pairs
        firstUses = keepsForms ? [] : nil
    }

    /// Every word and phrase in at least `minimum` articles, with their articles.
    func terms(minimum: Int) -> [(term: Term, articles: Int)] {
        var result: [(term: Term, articles: Int)] = []
        for (key, info) in info.enumerated() where info.articles >= minimum {
            result.append((.word(Int32(key)), Int(info.articles)))
        }
        pairs.forEachCounted { pair, articles in
            if articles >= minimum { result.append((.pair(pair), Int(articles))) }
        }
        return result
    }

    /// Articles of `other` that have each of this tally's `terms`.
    func articles(of terms: some Sequence<Term>, in other: TermTally) -> [Int] {
        // A word's number in `other`, looked up once however many phrases it starts or ends.
        var numbers = [Int32](repeating: Self.unknown, count: self.terms.count)
        func number(_ key: Int32) -> Int32 {
            if numbers[Int(key)] == Self.unknown {
                numbers[Int(key)] = self.terms.withBytes(of: key) { other.terms.existingID(of: $0) } ?? Self.excluded
            }
            return numbers[Int(key)]
        }
        return terms.map { term in
            switch term {
            case .word(let key):
                let theirs = number(key)
                return theirs < 0 ? 0 : Int(other.info[Int(theirs)].articles)
            case .pair(let pair):
                let (first, second) = PairCounts.split(pair)
                let one = number(first)
                let two = number(second)
                return one < 0 || two < 0 ? 0 : Int(other.pairs.articles(of: PairCounts.pack(one, two)))
            }
        }
    }

    /// The key of a term, as the full-text index is searched for it.
    func key(of term: Term) -> TermKey {
        switch term {
        case .word(let key):
            return TermKey(word: terms.string(key))
        case .pair(let pair):
            let (first, second) = PairCounts.split(pair)
            return TermKey(pair: TermKey(word: terms.string(first)), TermKey(word: terms.string(second)))
        }
    }

    /// Counts the terms of one article's UTF-8 text.
    mutating func add(_ text: Data, analyzer: ArabicAnalyzer) {
        text.withUnsafeBytes { add(utf8: $0.bindMemory(to: UInt8.self), analyzer: analyzer) }
    }

    /// Counts the terms of one article's UTF-8 text.
    mutating func add(utf8 bytes: UnsafeBufferPointer<UInt8>, analyzer: ArabicAnalyzer) {
        let article = Int32(articleCount)
        articleCount += 1
        if let uses = firstUses?.count { articleUses.append(Int32(uses)) }
        var previous: (key: Int32, range: Range<Int>)?
        analyzer.words(utf8: bytes) { word, range in
            let key = key(of: word, analyzer: analyzer)
            guard key >= 0 else {
                previous = nil
                return
            }
            if info[Int(key)].article != article {
                info[Int(key)].article = article
                info[Int(key)].articles += 1
                firstUses?.append(FirstUse(word: key, range: range))
            }
            defer { previous = (key, range) }
            // The words of one ligature (ﷺ) share its bytes: they are not a phrase written out.
            guard countsPairs, let before = previous, before.range.upperBound <= range.lowerBound,
                bytes[before.range.upperBound..<range.lowerBound].allSatisfy({ $0 == 0x20 })
            else { return }
            let pair = PairCounts.pack(before.key, key)
            articlePairs.append(pair)
            firstUses?.append(FirstUse(pair: pair, range: before.range.lowerBound..<range.upperBound))
        }
        guard !articlePairs.isEmpty else { return }
        articlePairs.sort()
        var last: UInt64?
        for pair in articlePairs where pair != last {
            pairUses.append(pair)
            last = pair
        }
        articlePairs.removeAll(keepingCapacity: true)
    }

    /// Counts the phrases added so far, keeping those in at least `minimum` articles; call it once,
    /// after the last ``add(_:analyzer:)`` and ``merge(_:)``.
    mutating func finishPairs(minimum: Int32) {
        // Word numbers take a few more bits than the number of words: packed tight, a phrase sorts
        // in three passes of 12 bits instead of five of 11.
        let bits = UInt64(Swift.max(1, Int.bitWidth - Swift.max(terms.count - 1, 1).leadingZeroBitCount))
        let mask: UInt64 = (1 << bits) - 1
        for index in pairUses.indices {
            let pair = pairUses[index]
            pairUses[index] = (pair >> 32) << bits | pair & mask
        }
        Self.radixSort(&pairUses, significantBits: Int(2 * bits))
        var start = 0
        while start < pairUses.count {
            var end = start + 1
            while end < pairUses.count, pairUses[end] == pairUses[start] { end += 1 }
            if end - start >= minimum {
                let packed = pairUses[start]
                pairs.add((packed >> bits) << 32 | packed & mask, articles: Int32(end - start))
            }
            start = end
        }
        pairUses = []
    }

    /// How the articles of this tally, whose texts are `texts`, write each of `wanted` (terms of
    /// `other`): the forms, with the articles that first wrote the term so.
    func forms(of wanted: [Term], from other: TermTally, texts: some Collection<Data>) -> [Term: [String: Int]] {
        // Most first uses are not wanted: flags by number answer that without hashing.
        var index: [Term: Int] = [:]
        var wantedWords = [Bool](repeating: false, count: terms.count)
        var pairStarts = [Bool](repeating: false, count: terms.count)
        for (position, term) in wanted.enumerated() {
            guard let mine = self.term(of: term, in: other) else { continue }
            index[mine] = position
            switch mine {
            case .word(let key): wantedWords[Int(key)] = true
            case .pair(let pair): pairStarts[Int(PairCounts.split(pair).0)] = true
            }
        }
        var forms = [[String: Int]](repeating: [:], count: wanted.count)
        // A phrase's every use is recorded; an article counts its first.
        var lastArticle = [Int32](repeating: -1, count: wanted.count)
        let texts = Array(texts)
        let firstUses = firstUses ?? []
        for (article, text) in texts.enumerated() {
            let end = article + 1 < articleUses.count ? Int(articleUses[article + 1]) : firstUses.count
            for use in firstUses[Int(articleUses[article])..<end] {
                let term = use.term
                switch term {
                case .word(let key): if !wantedWords[Int(key)] { continue }
                case .pair(let pair): if !pairStarts[Int(PairCounts.split(pair).0)] { continue }
                }
                guard let position = index[term], lastArticle[position] != article else { continue }
                lastArticle[position] = Int32(article)
                let written = text.withUnsafeBytes { bytes in
                    String(decoding: bytes[Int(use.start)..<Int(use.end)], as: UTF8.self)
                }
                forms[position][written, default: 0] += 1
            }
        }
        return Dictionary(uniqueKeysWithValues: zip(wanted, forms).filter { !$0.1.isEmpty })
    }

    /// Adds another tally's counts, as if its articles had been added to this one; first uses are
    /// not merged (see ``forms(of:from:texts:)``).
    mutating func merge(_ other: TermTally) {
        articleCount += other.articleCount
        firstUses = nil
        articleUses = []
        var numbers = [Int32](repeating: -1, count: other.terms.count)
        func number(_ id: Int32) -> Int32 {
            if numbers[Int(id)] < 0 {
                numbers[Int(id)] = other.terms.withBytes(of: id) { terms.id(of: $0) }
                fit()
            }
            return numbers[Int(id)]
        }
        for id in 0..<Int32(other.terms.count) {
            info[Int(number(id))].articles += other.info[Int(id)].articles
        }
        pairUses.reserveCapacity(pairUses.count + other.pairUses.count)
        for pair in other.pairUses {
            let (first, second) = PairCounts.split(pair)
            pairUses.append(PairCounts.pack(number(first), number(second)))
        }
    }

    /// Sorts values whose bits above `significantBits` are all zero, by digits of at most 12 bits,
    /// least significant first, skipping a digit every value shares.
    static func radixSort(_ values: inout [UInt64], significantBits: Int = 64) {
        guard values.count > 1 else { return }
        let passes = (significantBits + 11) / 12
        let digitBits = UInt64((significantBits + passes - 1) / passes)
        let mask: UInt64 = (1 << digitBits) - 1
        var buffer = [UInt64](repeating: 0, count: values.count)
        var shift: UInt64 = 0
        while shift < UInt64(significantBits) {
            var counts = [Int](repeating: 0, count: Int(mask) + 2)
            for value in values { counts[Int((value >> shift) & mask) + 1] += 1 }
            if !counts.contains(values.count) {
                for digit in 1..<counts.count { counts[digit] += counts[digit - 1] }
                for value in values {
                    let digit = Int((value >> shift) & mask)
                    buffer[counts[digit]] = value
                    counts[digit] += 1
                }
                swap(&values, &buffer)
            }
            shift += digitBits
        }
    }

    /// The key a word (normalized, as ``ArabicAnalyzer/words(utf8:_:)`` reports it) counts under, or
    /// ``excluded``; worked out the first time the word is seen.
    private mutating func key(of word: UnsafeBufferPointer<UInt8>, analyzer: ArabicAnalyzer) -> Int32 {
        let hash = TermInterner.hash(word)
        if let key = words.key(hash: hash, length: word.count) { return key }
        let found = analyzer.respelled(word) { key(ofTerm: $0, analyzer: analyzer) }
        words.set(found, hash: hash, length: word.count)
        return found
    }

    /// The key of a word as query analysis emits it (respelled).
    private mutating func key(ofTerm surface: UnsafeBufferPointer<UInt8>, analyzer: ArabicAnalyzer) -> Int32 {
        // Letters are counted by their first bytes; the analyzer writes every digit as an ASCII one.
        var letters = 0
        var digits = 0
        for byte in surface where byte & 0xC0 != 0x80 {
            letters += 1
            if (0x30...0x39).contains(byte) { digits += 1 }
        }
        guard letters > 1, digits < letters, !Self.isStopword(surface) else { return Self.excluded }
        let stem = analyzer.stemRange(ofTerm: surface)
        // وفي is في.
        if stem.count != surface.count, Self.isStopword(UnsafeBufferPointer(rebasing: surface[stem])) {
            return Self.excluded
        }
        let key = terms.id(of: UnsafeBufferPointer(rebasing: surface[stem]))
        fit()
        return key
    }

    /// The stopwords as the analyzer writes them, looked up by their bytes: a `Set<String>` lookup
    /// hashes Arabic text through Unicode normalization.
    private static let stopwords: TermInterner = {
        var table = TermInterner()
        for word in Stopwords.words {
            var word = word
            _ = word.withUTF8 { table.id(of: $0) }
        }
        return table
    }()

    private static func isStopword(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        stopwords.existingID(of: bytes) != nil
    }

    /// `other`'s term as numbered here, if this tally has seen it.
    private func term(of term: Term, in other: TermTally) -> Term? {
        func number(_ key: Int32) -> Int32? { other.terms.withBytes(of: key) { terms.existingID(of: $0) } }
        switch term {
        case .word(let key):
            return number(key).map { .word($0) }
        case .pair(let pair):
            let (first, second) = PairCounts.split(pair)
            guard let one = number(first), let two = number(second) else { return nil }
            return .pair(PairCounts.pack(one, two))
        }
    }

    /// Grows the per-term arrays to the terms numbered so far.
    private mutating func fit() {
        let missing = terms.count - info.count
        guard missing > 0 else { return }
        info.append(contentsOf: repeatElement(Info(), count: missing))
    }

    private struct Info: Sendable {
        /// Articles that have a word under this key.
        var articles: Int32 = 0
        /// The last article that counted it, so an article counts a key once.
        var article: Int32 = -1
    }

    /// Where an article first wrote a term: UTF-8 offsets into its text. Sixteen bytes, as there
    /// are about two a word: an enum and the article would double them, and the memory they stream
    /// through evicts the interner's table from the cache.
    private struct FirstUse: Sendable {
        /// A pair as packed, or a word's key with the top bit set (keys are never negative).
        private let packed: UInt64
        let start: UInt32
        let end: UInt32

        init(word key: Int32, range: Range<Int>) {
            packed = 1 << 63 | UInt64(UInt32(bitPattern: key))
            start = UInt32(range.lowerBound)
            end = UInt32(range.upperBound)
        }

        init(pair: UInt64, range: Range<Int>) {
            packed = pair
            start = UInt32(range.lowerBound)
            end = UInt32(range.upperBound)
        }

        var term: Term {
            packed >> 63 == 1 ? .word(Int32(truncatingIfNeeded: packed)) : .pair(packed)
        }
    }
}
