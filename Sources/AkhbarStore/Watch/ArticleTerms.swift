import ArabicText
import Articles

/// The terms of one article that some watch mentions, with their positions as the `akhbar`
/// tokenizer hands them to FTS5: enough to decide a watch's whole text condition, phrases and NEAR
/// included, without asking the index.
///
/// Positions are numbered as FTS5 numbers them: from 0 in each column, one a word, a stem sharing its
/// word's position (a colocated token). A prefix a watch mentions is present wherever a term starting
/// with it is. Kept as one sorted array of term number, column and position, with a small table
/// from each number to its run of that array, so an article costs a few allocations however many
/// terms it has.
struct ArticleTerms: Sendable {
    private var keys: [UInt64] = []
    /// The numbers of the terms and prefixes present, each once, in increasing order.
    private(set) var numbers: [Int32] = []
    /// Where the keys of `numbers[k]` start; one more entry than numbers.
    private var starts: [Int32] = []
    /// Each number's index in `numbers` plus one (0 empty), by open addressing on the number: a
    /// watch's check asks for a term's places many times an article, a binary search each time cost
    /// more than the check.
    private var table: [Int32] = []

    private static let numberShift: UInt64 = 36
    private static let columnShift: UInt64 = 32
    private static let positionMask: UInt64 = 1 << numberShift - 1

    /// From the article's analysis, whose columns are those of `article_fts`, in order.
    init(_ analysis: ArticleAnalysis, vocabulary: WatchVocabulary) {
        for (column, analyzed) in analysis.columns.enumerated() {
            guard let analyzed else { continue }
            var offset = -1
            analyzed.forEachToken { term, _, colocated in
                if !colocated || offset < 0 { offset += 1 }
                let place = UInt64(column) << Self.columnShift | UInt64(truncatingIfNeeded: offset)
                vocabulary.numbers(of: term) { number in
                    keys.append(UInt64(number) << Self.numberShift | place)
                }
            }
        }
        keys.sort()
        for (index, key) in keys.enumerated() {
            let number = Int32(key >> Self.numberShift)
            if numbers.last != number {
                numbers.append(number)
                starts.append(Int32(index))
            }
        }
        starts.append(Int32(keys.count))
        var size = 8
        while size < numbers.count * 2 { size *= 2 }
        table = [Int32](repeating: 0, count: size)
        for (index, number) in numbers.enumerated() {
            var slot = Self.slot(of: number, mask: size - 1)
            while table[slot] != 0 { slot = (slot + 1) & (size - 1) }
            table[slot] = Int32(index + 1)
        }
    }

    private static func slot(of number: Int32, mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt32(bitPattern: number) &* 0x9E37_79B1) >> 7) & mask
    }

    /// Whether the term occurs in the column (0 title, 1 body, 2 outlet, 3 author), or in any (-1).
    func contains(_ number: Int32, column: Int) -> Bool {
        let range = self.range(of: number)
        guard column >= 0 else { return !range.isEmpty }
        return keys[range].contains { Int($0 >> Self.columnShift & 0xF) == column }
    }

    /// How many times the term occurs, in all columns: at most as many places as a phrase starting
    /// with it starts at.
    func occurrences(of number: Int32) -> Int {
        range(of: number).count
    }

    /// Whether the phrase of these term numbers occurs, its first term at consecutive positions with
    /// the others, in the column or in any (-1).
    func containsPhrase<Numbers: RandomAccessCollection<Int32>>(_ numbers: Numbers, column: Int) -> Bool
    where Numbers.Index == Int {
        !forEachStart(ofPhrase: numbers, column: column) { _ in false }
    }

    /// Calls `body` with each place (the column in the high bits, so places of two columns are never
    /// near each other) where the phrase starts, in increasing order, until it returns false; returns
    /// whether every call returned true. No list of positions is built.
    @discardableResult
    func forEachStart<Numbers: RandomAccessCollection<Int32>>(
        ofPhrase numbers: Numbers, column: Int, _ body: (Int) -> Bool
    ) -> Bool where Numbers.Index == Int {
        guard let first = numbers.first else { return true }
        for key in keys[range(of: first)] {
            let place = key & Self.positionMask
            guard column < 0 || Int(place >> Self.columnShift) == column else { continue }
            var offset: UInt64 = 1
            var found = true
            for number in numbers.dropFirst() {
                guard contains(key: UInt64(number) << Self.numberShift | (place + offset)) else {
                    found = false
                    break
                }
                offset += 1
            }
            if found, !body(Int(place)) { return false }
        }
        return true
    }

    /// Where the term's keys are, empty when the article lacks it.
    private func range(of number: Int32) -> Range<Int> {
        let mask = table.count - 1
        var slot = Self.slot(of: number, mask: mask)
        while table[slot] != 0 {
            let index = Int(table[slot]) - 1
            if numbers[index] == number { return Int(starts[index])..<Int(starts[index + 1]) }
            slot = (slot + 1) & mask
        }
        return 0..<0
    }

    /// Whether this key (a term at a place) is one of the article's.
    private func contains(key: UInt64) -> Bool {
        // A term's keys are its places in increasing order, and few.
        for candidate in keys[range(of: Int32(key >> Self.numberShift))] {
            if candidate >= key { return candidate == key }
        }
        return false
    }
}
