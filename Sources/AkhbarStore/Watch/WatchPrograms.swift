import ArabicText

/// The numbered ``WatchCondition``s of all the watches, each laid out as a short program in one
/// array shared by all, for checking thousands of candidates an article.
///
/// Walking the enum tree retained and released every node it passed; a program of its own per
/// watch (an object and four arrays) missed the cache at each of them before the first check. A
/// watch's program is now a few consecutive words, usually within one cache line, and a watch is
/// the index of its root node.
///
/// A node is a header word (operation in bits 0–2, column + 1 in bits 3–5, count from bit 8)
/// followed by:
/// - leaf: its `count` alternatives, each a length and that many term numbers (a phrase);
/// - NEAR: the distance, then the indices of its `count` members, leaves;
/// - AND, OR: the indices of its `count` children;
/// - NOT: the index of its child.
/// Children come before their parent, so a parent is written knowing where they are.
struct WatchPrograms: Sendable {
    private enum Operation: Int32 {
        case leaf, near, and, or, not
    }

    private var code: [Int32] = []

    /// Adds the program of a condition whose tokens are numbered; returns its root, for
    /// ``holds(_:in:)``. A removed watch's program stays: no other program points into it.
    mutating func add(_ condition: WatchCondition) -> Int32 {
        switch condition {
        case .leaf(let leaf):
            return add(leaf)
        case .near(let members, let distance):
            let indices = members.map { add($0) }
            return node(.near, column: members.first?.field, words: [Int32(distance)] + indices, count: indices.count)
        case .and(let list):
            let indices = list.map { add($0) }
            return node(.and, column: nil, words: indices, count: indices.count)
        case .or(let list):
            let indices = list.map { add($0) }
            return node(.or, column: nil, words: indices, count: indices.count)
        case .not(let child):
            let index = add(child)
            return node(.not, column: nil, words: [index], count: 1)
        }
    }

    private mutating func add(_ leaf: WatchCondition.Leaf) -> Int32 {
        let words = leaf.alternatives.flatMap { [Int32($0.numbers.count)] + $0.numbers }
        return node(.leaf, column: leaf.field, words: words, count: leaf.alternatives.count)
    }

    private mutating func node(_ operation: Operation, column: QueryField?, words: [Int32], count: Int) -> Int32 {
        let index = Int32(code.count)
        code.append(operation.rawValue | (Int32(Self.column(column)) + 1) << 3 | Int32(count) << 8)
        code += words
        return index
    }

    private static func column(_ field: QueryField?) -> Int {
        switch field {
        case nil: -1
        case .title: 0
        case .outlet: 2
        case .author: 3
        }
    }

    /// Whether the article matches the program whose root is `index`, as its row of the index would.
    func holds(_ index: Int32, in terms: ArticleTerms) -> Bool {
        code.withUnsafeBufferPointer { holds(Int(index), code: $0, in: terms) }
    }

    private func holds(_ index: Int, code: UnsafeBufferPointer<Int32>, in terms: ArticleTerms) -> Bool {
        let (operation, column, count) = Self.header(code[index])
        switch operation {
        case .leaf:
            var at = index + 1
            for _ in 0..<count {
                let length = Int(code[at])
                let phrase = code[(at + 1)..<(at + 1 + length)]
                if length == 1
                    ? terms.contains(phrase[phrase.startIndex], column: column)
                    : terms.containsPhrase(phrase, column: column)
                {
                    return true
                }
                at += 1 + length
            }
            return false
        case .near:
            return near(index, code: code, column: column, members: count, in: terms)
        case .and:
            return code[(index + 1)..<(index + 1 + count)].allSatisfy { holds(Int($0), code: code, in: terms) }
        case .or:
            return code[(index + 1)..<(index + 1 + count)].contains { holds(Int($0), code: code, in: terms) }
        case .not:
            return !holds(Int(code[index + 1]), code: code, in: terms)
        }
    }

    private static func header(_ word: Int32) -> (operation: Operation, column: Int, count: Int) {
        (Operation(rawValue: word & 7) ?? .leaf, Int(word >> 3 & 7) - 1, Int(word >> 8))
    }

    /// Calls `body` with each phrase (alternative) of the leaf at `index`.
    private func forEachPhrase(
        ofLeaf index: Int, code: UnsafeBufferPointer<Int32>, _ body: (Slice<UnsafeBufferPointer<Int32>>) -> Void
    ) {
        var at = index + 1
        for _ in 0..<Self.header(code[index]).count {
            let length = Int(code[at])
            body(code[(at + 1)..<(at + 1 + length)])
            at += 1 + length
        }
    }

    /// FTS5's NEAR: some instance of every member (any of its alternatives) starts no later than the
    /// last one to start, and ends at most `distance` tokens before it.
    ///
    /// Nearly every NEAR checked fails (the article has the words, apart), so the instances are
    /// gathered on the stack: lists built for each check cost more than the check.
    private func near(
        _ index: Int, code: UnsafeBufferPointer<Int32>, column: Int, members count: Int, in terms: ArticleTerms
    ) -> Bool {
        let distance = Int(code[index + 1])
        let members = code[(index + 2)..<(index + 2 + count)]
        var bound = 0
        for member in members {
            forEachPhrase(ofLeaf: Int(member), code: code) { phrase in
                if let first = phrase.first { bound += terms.occurrences(of: first) }
            }
        }
        return withUnsafeTemporaryAllocation(of: Instance.self, capacity: bound) { instances in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { ends in
                // Member k's instances are instances[ends[k - 1] ..< ends[k]], ends[-1] being 0.
                var found = 0
                for (k, member) in members.enumerated() {
                    forEachPhrase(ofLeaf: Int(member), code: code) { phrase in
                        terms.forEachStart(ofPhrase: phrase, column: column) { start in
                            instances[found] = Instance(start: start, length: phrase.count)
                            found += 1
                            return true
                        }
                    }
                    if found == (k == 0 ? 0 : ends[k - 1]) { return false }
                    ends[k] = found
                }
                return instances[..<found].contains { last in
                    (0..<count).allSatisfy { k in
                        instances[(k == 0 ? 0 : ends[k - 1])..<ends[k]].contains {
                            $0.start <= last.start && $0.start + $0.length + distance >= last.start
                        }
                    }
                }
            }
        }
    }

    private struct Instance {
        var start: Int
        var length: Int
    }
}
