import AkhbarProtocol
import ArabicText

/// Cuts the passage of a body that best shows why it matched, with the matched words marked.
///
/// Built in Swift rather than with FTS5's `snippet()`: that one re-runs the whole full-text query
/// for each row; this analyzes each shown body once, with the same analysis as the index, so a word
/// is marked exactly when the index would have matched it, diacritics and all.
struct SnippetBuilder: Sendable {
    let analyzer: ArabicAnalyzer
    /// Terms whose occurrence marks a word: every form of the query words that the index looks up, by
    /// hash so that checking a word of the body allocates nothing.
    private var terms: [UInt64: [[UInt8]]] = [:]
    /// Normalized prefixes of `word*` clauses.
    private var prefixes: [[UInt8]] = []
    /// The stems among `terms`, without their marker: the only stems worth computing for a body's words.
    private var stems: [[UInt8]] = []
    /// Words of context around the matches.
    static let width = 24
    /// Matches in one window that make it good enough to stop reading: one per query word.
    private var enough = 0
    /// Only the start of a very long body is searched for the passage, so one huge article cannot
    /// slow a whole page of results.
    static let scannedBytes = 16 * 1024

    /// Marks every form of the words searched for that `match` looks up in the index (the word as
    /// typed, with other proclitics, its stem, other inflections), so a word is marked where the
    /// index matched it and the ranking function's passage hint points at marked words.
    init(match: CompiledMatch?, analyzer: ArabicAnalyzer) {
        self.analyzer = analyzer
        let marker = UInt8(ArabicAnalyzer.stemMarker.value)
        var clauses = Set<Int>()
        for phrase in match?.phrases ?? [] where phrase.isMarked {
            clauses.insert(phrase.clause)
            for word in phrase.terms {
                let bytes = Array(word.utf8)
                if phrase.isPrefix {
                    prefixes.append(bytes)
                } else {
                    bytes.withUnsafeBufferPointer { terms[Self.hash($0), default: []].append(bytes) }
                    if bytes.first == marker { stems.append(Array(bytes.dropFirst())) }
                }
            }
        }
        enough = clauses.count
    }

    /// Thrown to stop reading a body once a window with a match for every query word is found.
    private struct FoundEnough: Error {}

    /// The best window of a body's UTF-8 `text`, with "…" where it was cut, and its marked spans in
    /// scalar offsets. The body is read where SQLite holds it: it is analyzed only around its best
    /// passage, and copying it into a `String` first (checking every byte) cost as much again.
    /// Reading stops at the first window with as many matches as the query has words, or past word
    /// `passageEnd` (the index's hint of where the best passage ends, -1 for a body without any of
    /// the words), once the words after it (its context) are read too: most bodies show their best
    /// passage early, and one whose words never come together is not read to its end.
    func snippet(of text: UnsafeBufferPointer<UInt8>, passageEnd: Int32?) -> (String, [Highlight]) {
        snippet(of: text, passageEnd: passageEnd, analyzed: nil)
    }

    /// The part of a body a snippet is looked for in, analyzed once for the snippets of many
    /// queries: an article matched by a hundred watches is analyzed once, not a hundred times.
    static func analyzedStart(of text: UnsafeBufferPointer<UInt8>, analyzer: ArabicAnalyzer) -> ArticleAnalysis.Column {
        ArticleAnalysis.Column(
            utf8: UnsafeBufferPointer(rebasing: text[..<boundary(in: text, before: scannedBytes)]), analyzer: analyzer)
    }

    /// The best window of `text` as ``snippet(of:passageEnd:)`` finds it with no hint, its words
    /// read from `analyzed` (``analyzedStart(of:analyzer:)`` of the same text).
    func snippet(of text: UnsafeBufferPointer<UInt8>, analyzed: ArticleAnalysis.Column) -> (String, [Highlight]) {
        snippet(of: text, passageEnd: nil, analyzed: analyzed)
    }

    private func snippet(of text: UnsafeBufferPointer<UInt8>, passageEnd: Int32?, analyzed: ArticleAnalysis.Column?)
        -> (String, [Highlight])
    {
        let width = Self.width
        let scanned = UnsafeBufferPointer(rebasing: text[..<Self.boundary(in: text, before: Self.scannedBytes)])
        // Words well before the hinted passage are only counted, not analyzed: the index found fewer of
        // the query's words in any window of them (about half the words a page of hits used to analyze).
        var skipped = 0
        var start = 0
        if let passageEnd, Int(passageEnd) > 2 * width,
            let found = analyzer.start(ofWord: Int(passageEnd) - 2 * width, in: scanned)
        {
            (start, skipped) = (found.offset, found.word)
        }
        let hinted = passageEnd.map { max(Int($0), 0) + width } ?? Int.max
        let (words, complete) = read(scanned, from: start, upTo: hinted - skipped, analyzed: analyzed)
        let readToEnd = complete && scanned.count == text.count
        guard !words.isEmpty else {
            let start = UnsafeBufferPointer(rebasing: text[..<Self.boundary(in: text, before: 1024)])
            return (String(String(decoding: start, as: UTF8.self).prefix(200)), [])
        }
        // The window of `width` words with the most matches; the earliest wins ties.
        var best = 0
        var bestCount = -1
        var count = 0
        for index in words.indices {
            if words[index].matched { count += 1 }
            if index >= width, words[index - width].matched { count -= 1 }
            let start = max(0, index - width + 1)
            if count > bestCount {
                bestCount = count
                best = start
            }
        }
        // Center the window on its matches, so they come with context on both sides.
        let matched = words[best..<min(best + width, words.count)].indices.filter { words[$0].matched }
        if let first = matched.first, let last = matched.last {
            best = max(0, min((first + last) / 2 - width / 2, words.count - width))
        }
        let window = words[best..<min(best + width, words.count)]
        let from = best == 0 && skipped == 0 ? 0 : window.first!.range.lowerBound
        let to = best + width >= words.count && readToEnd ? text.count : window.last!.range.upperBound
        // Highlights count Unicode scalars: one per byte that does not continue a scalar's encoding.
        var out: [UInt8] = []
        out.reserveCapacity(to - from + 8)
        var highlights: [Highlight] = []
        var scalars = 0
        func append(_ slice: Slice<UnsafeBufferPointer<UInt8>>) {
            out.append(contentsOf: slice)
            for byte in slice where byte & 0xC0 != 0x80 { scalars += 1 }
        }
        if from > 0 {
            out.append(contentsOf: Self.ellipsis)
            scalars += 1
        }
        var cursor = from
        for word in window where word.matched {
            append(text[cursor..<word.range.lowerBound])
            let start = scalars
            append(text[word.range])
            highlights.append(Highlight(start: start, end: scalars))
            cursor = word.range.upperBound
        }
        append(text[cursor..<to])
        if to < text.count { out.append(contentsOf: Self.ellipsis) }
        return (String(decoding: out, as: UTF8.self), highlights)
    }

    private static let ellipsis = Array("…".utf8)

    /// The words of `scanned` from byte `start`, each with whether it is marked, up to `hinted` words
    /// (or fewer, once a window has a match for every query word and its context is read), and
    /// whether reading reached the end of `scanned`.
    private func read(
        _ scanned: UnsafeBufferPointer<UInt8>, from start: Int, upTo hinted: Int, analyzed: ArticleAnalysis.Column?
    ) -> (words: [(range: Range<Int>, matched: Bool)], complete: Bool) {
        let width = Self.width
        var words: [(range: Range<Int>, matched: Bool)] = []
        var recent = 0
        var stopAfter = Int.max
        do {
            // Replayed tokens include every word's stem; only stems among `stems` can be marked, so
            // the words marked are the same.
            let each = { (term: UnsafeBufferPointer<UInt8>, relative: Range<Int>, colocated: Bool) throws in
                let range = (relative.lowerBound + start)..<(relative.upperBound + start)
                let matched = matches(term)
                if colocated, let last = words.indices.last, words[last].range.lowerBound == range.lowerBound {
                    if matched && !words[last].matched {
                        words[last].matched = true
                        recent += 1
                    }
                } else {
                    if words.count > min(stopAfter, hinted) { throw FoundEnough() }
                    words.append((range, matched))
                    if matched { recent += 1 }
                    if words.count > width, words[words.count - 1 - width].matched { recent -= 1 }
                }
                if recent >= enough, stopAfter == Int.max { stopAfter = words.count + width }
            }
            if let analyzed {
                try analyzed.forEachToken(each)
            } else {
                try analyzer.analyze(
                    utf8: UnsafeBufferPointer(rebasing: scanned[start...]), mode: .document, stemsAmong: stems, each)
            }
            return (words, true)
        } catch {
            return (words, false)
        }
    }

    /// The end of the longest prefix of `text` shorter than `limit` bytes that ends between two
    /// characters' encodings.
    private static func boundary(in text: UnsafeBufferPointer<UInt8>, before limit: Int) -> Int {
        var end = min(text.count, limit)
        while end < text.count, end > 0, text[end] & 0xC0 == 0x80 { end -= 1 }
        return end
    }

    private func matches(_ term: UnsafeBufferPointer<UInt8>) -> Bool {
        if let candidates = terms[Self.hash(term)], candidates.contains(where: { $0.elementsEqual(term) }) {
            return true
        }
        return prefixes.contains { prefix in prefix.count <= term.count && zip(prefix, term).allSatisfy { $0 == $1 } }
    }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        FNV1a.hash(bytes)
    }
}
