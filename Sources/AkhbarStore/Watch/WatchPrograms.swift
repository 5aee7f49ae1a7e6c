import ArabicText

/// The numbered ``WatchCondition``s of all the watches, laid out flat in four arrays shared by all,
/// for checking thousands of candidates an article: walking the enum tree retained and released
/// every node it passed, and a program of its own per watch (an object and four arrays) missed the
/// cache at each of them before the first check; a watch is now the index of its root node.
struct WatchPrograms: Sendable {
    private enum Operation: UInt8, Sendable {
        case leaf, near, and, or, not
    }

    /// A node: its children (nodes, or for a leaf its alternatives) are `count` entries from `first`.
    private struct Node: Sendable {
        var operation: Operation
        /// The column of a leaf or NEAR group: 0 title, 2 outlet, 3 author, -1 any.
        var column: Int8
        var first: Int32
        var count: Int32
        var distance: Int32
    }

    /// A phrase: `count` numbers from `first`.
    private struct Phrase: Sendable {
        var first: Int32
        var count: Int32
    }

    private var nodes: [Node] = []
    /// Children of `and`, `or`, `not` and `near` nodes, as node indices.
    private var children: [Int32] = []
    private var phrases: [Phrase] = []
    private var numbers: [Int32] = []

    /// Adds the program of a condition whose tokens are numbered; returns its root, for
    /// ``holds(_:in:)``. A removed watch's nodes stay: no other program points into them.
    mutating func add(_ condition: WatchCondition) -> Int32 {
        var builder = Builder(nodes: nodes, children: children, phrases: phrases, numbers: numbers)
        (nodes, children, phrases, numbers) = ([], [], [], [])
        let root = builder.add(condition)
        (nodes, children, phrases, numbers) = (builder.nodes, builder.children, builder.phrases, builder.numbers)
        return root
    }

    private struct Builder {
        var nodes: [Node]
        var children: [Int32]
        var phrases: [Phrase]
        var numbers: [Int32]

        mutating func add(_ condition: WatchCondition) -> Int32 {
            switch condition {
            case .leaf(let leaf):
                return add(leaf)
            case .near(let members, let distance):
                let indices = members.map { add($0) }
                return node(.near, column: members.first?.field, children: indices, distance: distance)
            case .and(let list):
                return node(.and, column: nil, children: list.map { add($0) }, distance: 0)
            case .or(let list):
                return node(.or, column: nil, children: list.map { add($0) }, distance: 0)
            case .not(let child):
                return node(.not, column: nil, children: [add(child)], distance: 0)
            }
        }

        mutating func add(_ leaf: WatchCondition.Leaf) -> Int32 {
            let first = Int32(phrases.count)
            for alternative in leaf.alternatives {
                phrases.append(Phrase(first: Int32(numbers.count), count: Int32(alternative.numbers.count)))
                numbers += alternative.numbers
            }
            nodes.append(
                Node(
                    operation: .leaf, column: Builder.column(leaf.field), first: first,
                    count: Int32(leaf.alternatives.count),
                    distance: 0))
            return Int32(nodes.count - 1)
        }

        mutating func node(_ operation: Operation, column: QueryField?, children list: [Int32], distance: Int)
            -> Int32
        {
            nodes.append(
                Node(
                    operation: operation, column: Builder.column(column), first: Int32(children.count),
                    count: Int32(list.count), distance: Int32(distance)))
            children += list
            return Int32(nodes.count - 1)
        }

        static func column(_ field: QueryField?) -> Int8 {
            switch field {
            case nil: -1
            case .title: 0
            case .outlet: 2
            case .author: 3
            }
        }
    }

    /// Whether the article matches the program whose root is `index`, as its row of the index would.
    func holds(_ index: Int32, in terms: ArticleTerms) -> Bool {
        let node = nodes[Int(index)]
        let range = Int(node.first)..<Int(node.first + node.count)
        switch node.operation {
        case .leaf:
            return range.contains { occurs(phrases[$0], column: node.column, in: terms) }
        case .near:
            return near(range, column: node.column, distance: Int(node.distance), in: terms)
        case .and:
            return range.allSatisfy { holds(children[$0], in: terms) }
        case .or:
            return range.contains { holds(children[$0], in: terms) }
        case .not:
            return !holds(children[range.lowerBound], in: terms)
        }
    }

    private func occurs(_ phrase: Phrase, column: Int8, in terms: ArticleTerms) -> Bool {
        let range = Int(phrase.first)..<Int(phrase.first + phrase.count)
        if phrase.count == 1 { return terms.contains(numbers[range.lowerBound], column: Int(column)) }
        return terms.containsPhrase(numbers[range], column: Int(column))
    }

    /// FTS5's NEAR: some instance of every member (any of its alternatives) starts no later than the
    /// last one to start, and ends at most `distance` tokens before it.
    ///
    /// Nearly every NEAR checked fails (the article has the words, apart), so the instances are
    /// gathered on the stack: lists built for each check cost more than the check.
    private func near(_ members: Range<Int>, column: Int8, distance: Int, in terms: ArticleTerms) -> Bool {
        var bound = 0
        for member in members {
            let leaf = nodes[Int(children[member])]
            for alternative in Int(leaf.first)..<Int(leaf.first + leaf.count) where phrases[alternative].count > 0 {
                bound += terms.occurrences(of: numbers[Int(phrases[alternative].first)])
            }
        }
        return withUnsafeTemporaryAllocation(of: Instance.self, capacity: bound) { instances in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: members.count + 1) { ends in
                // Member k's instances are instances[ends[k - 1] ..< ends[k]], ends[-1] being 0.
                var count = 0
                for (k, member) in members.enumerated() {
                    let leaf = nodes[Int(children[member])]
                    for alternative in Int(leaf.first)..<Int(leaf.first + leaf.count) {
                        let phrase = phrases[alternative]
                        let words = numbers[Int(phrase.first)..<Int(phrase.first + phrase.count)]
                        terms.forEachStart(ofPhrase: words, column: Int(column)) { start in
                            instances[count] = Instance(start: start, length: Int(phrase.count))
                            count += 1
                            return true
                        }
                    }
                    if count == (k == 0 ? 0 : ends[k - 1]) { return false }
                    ends[k] = count
                }
                return instances[..<count].contains { last in
                    (0..<members.count).allSatisfy { k in
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
