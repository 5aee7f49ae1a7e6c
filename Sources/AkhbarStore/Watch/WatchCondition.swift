import ArabicText

/// A watch's full-text condition, compiled once for checking single articles: the tree FTS5 would
/// evaluate, each phrase already cut into the tokens FTS5 looks up (the tokenizer in query mode splits
/// some forms, such as a joined compound name, into several).
///
/// It is decided on an article's own terms and positions, as FTS5 decides it on the article's row
/// of the index: a phrase is its tokens at consecutive positions in one column, a NEAR group its
/// phrases with at most `distance` tokens between the end of each and the start of the last.
indirect enum WatchCondition: Sendable {
    case leaf(Leaf)
    case near([Leaf], distance: Int)
    case and([WatchCondition])
    case or([WatchCondition])
    case not(WatchCondition)

    /// A word or phrase: any of its alternatives, in one column or all.
    struct Leaf: Sendable {
        var field: QueryField?
        var alternatives: [Alternative]
    }

    /// One phrase of the compiled expression.
    struct Alternative: Sendable {
        var tokens: [IndexTerm]
        /// Whether the last token is a prefix.
        var isPrefix: Bool
    }

    init(_ condition: TextCondition, analyzer: ArabicAnalyzer, negated: Bool = false) {
        func leaf(_ leaf: TextLeaf, field: QueryField?) -> Leaf {
            Leaf(
                field: field,
                alternatives: leaf.phrases(negated: negated, literalOnly: false).map { phrase in
                    Alternative(
                        tokens: analyzer.terms(in: phrase.terms.joined(separator: " "), mode: .query).map {
                            IndexTerm($0.term)
                        },
                        isPrefix: phrase.isPrefix)
                })
        }
        switch condition {
        case .leaf(let textLeaf):
            self = .leaf(leaf(textLeaf, field: textLeaf.field))
        case .near(let members, let distance):
            // FTS5 takes one column filter for a whole NEAR group: the first member's.
            let field = members.first?.field
            self = .near(members.map { leaf($0, field: field) }, distance: distance)
        case .and(let children):
            self = .and(
                children.map { child in
                    if case .not(let inner) = child {
                        .not(WatchCondition(inner, analyzer: analyzer, negated: !negated))
                    } else {
                        WatchCondition(child, analyzer: analyzer, negated: negated)
                    }
                })
        case .or(let children):
            self = .or(children.map { WatchCondition($0, analyzer: analyzer, negated: negated) })
        case .not(let child):
            self = .not(WatchCondition(child, analyzer: analyzer, negated: !negated))
        }
    }

    /// Whether the article matches, as its row of the index would.
    func holds(in terms: ArticleTerms) -> Bool {
        switch self {
        case .leaf(let leaf):
            leaf.alternatives.contains { $0.occurs(in: terms, field: leaf.field) }
        case .near(let members, let distance):
            Self.near(members, distance: distance, in: terms)
        case .and(let children):
            children.allSatisfy { $0.holds(in: terms) }
        case .or(let children):
            children.contains { $0.holds(in: terms) }
        case .not(let child):
            !child.holds(in: terms)
        }
    }

    /// FTS5's NEAR: some instance of every member (any of its alternatives) starts no later than the
    /// last one to start, and ends at most `distance` tokens before it.
    private static func near(_ members: [Leaf], distance: Int, in terms: ArticleTerms) -> Bool {
        var instances: [[(start: Int, length: Int)]] = []
        for member in members {
            let found = member.alternatives.flatMap { alternative in
                alternative.starts(in: terms, field: member.field).map { ($0, alternative.tokens.count) }
            }
            guard !found.isEmpty else { return false }
            instances.append(found)
        }
        return instances.joined().contains { last in
            instances.allSatisfy { member in
                member.contains { $0.start <= last.start && $0.start + $0.length + distance >= last.start }
            }
        }
    }
}

extension WatchCondition.Alternative {
    /// Whether the phrase occurs in the field's column, or in any.
    func occurs(in terms: ArticleTerms, field: QueryField?) -> Bool {
        if tokens.count == 1 {
            return isPrefix ? terms.containsPrefix(tokens[0], in: field) : terms.contains(tokens[0], in: field)
        }
        return !starts(in: terms, field: field).isEmpty
    }

    /// The positions at which the phrase starts, in increasing order.
    func starts(in terms: ArticleTerms, field: QueryField?) -> [Int] {
        var starts: [Int] = []
        for (offset, token) in tokens.enumerated() {
            let found =
                isPrefix && offset == tokens.count - 1
                ? terms.positions(withPrefix: token, in: field) : terms.positions(of: token, in: field)
            if offset == 0 {
                starts = found
            } else {
                let present = Set(found)
                starts = starts.filter { present.contains($0 + offset) }
            }
            if starts.isEmpty { break }
        }
        return starts
    }
}
