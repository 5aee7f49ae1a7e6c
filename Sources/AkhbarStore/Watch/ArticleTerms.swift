import ArabicText
import Articles

/// The terms of one article that some watch mentions, with their positions as the `akhbar`
/// tokenizer hands them to FTS5: enough to decide a watch's whole text condition, phrases and NEAR
/// included, without asking the index.
///
/// Positions are numbered as FTS5 numbers them: from 0 in each column, one a word, a stem sharing its
/// word's position (a colocated token). A prefix a watch mentions is present wherever a term starting
/// with it is. Kept as one sorted array of term number, column and position, so an article costs a
/// few allocations however many terms it has.
struct ArticleTerms: Sendable {
    private var keys: [UInt64] = []

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
    }

    /// The numbers of the terms and prefixes present, each once, in increasing order.
    var numbers: [Int32] {
        var numbers: [Int32] = []
        for key in keys {
            let number = Int32(key >> Self.numberShift)
            if numbers.last != number { numbers.append(number) }
        }
        return numbers
    }

    /// Whether the term occurs in the column (0 title, 1 body, 2 outlet, 3 author), or in any (-1).
    func contains(_ number: Int32, column: Int) -> Bool {
        let range = self.range(of: number)
        guard column >= 0 else { return !range.isEmpty }
        return keys[range].contains { Int($0 >> Self.columnShift & 0xF) == column }
    }

    /// Where the term occurs, in the column or in any (-1), in increasing order: the column in the
    /// high bits, so positions of two columns are never near each other.
    func positions(of number: Int32, column: Int) -> [Int] {
        keys[range(of: number)].compactMap { key in
            let place = key & Self.positionMask
            guard column < 0 || Int(place >> Self.columnShift) == column else { return nil }
            return Int(place)
        }
    }

    /// Whether the phrase of these term numbers occurs, its first term at consecutive positions with
    /// the others, in the column or in any (-1): without building any list of positions.
    func containsPhrase<Numbers: RandomAccessCollection<Int32>>(_ numbers: Numbers, column: Int) -> Bool
    where Numbers.Index == Int {
        guard let first = numbers.first else { return false }
        for key in keys[range(of: first)] {
            let place = key & Self.positionMask
            guard column < 0 || Int(place >> Self.columnShift) == column else { continue }
            var offset: UInt64 = 1
            var found = true
            for number in numbers.dropFirst() {
                let wanted = UInt64(number) << Self.numberShift | (place + offset)
                let index = firstIndex(notBelow: wanted)
                guard index < keys.count, keys[index] == wanted else {
                    found = false
                    break
                }
                offset += 1
            }
            if found { return true }
        }
        return false
    }

    private func range(of number: Int32) -> Range<Int> {
        let low = UInt64(number) << Self.numberShift
        let start = firstIndex(notBelow: low)
        return start..<firstIndex(notBelow: low + (1 << Self.numberShift), from: start)
    }

    private func firstIndex(notBelow key: UInt64, from start: Int = 0) -> Int {
        var (low, high) = (start, keys.count)
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
