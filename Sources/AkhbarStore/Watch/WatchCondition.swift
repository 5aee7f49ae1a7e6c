import ArabicText

/// A watch's full-text condition, compiled once for checking single articles: the tree FTS5 would
/// evaluate, each phrase already cut into the tokens FTS5 looks up (the tokenizer in query mode splits
/// some forms, such as a joined compound name, into several).
///
/// Numbered and laid out in ``WatchPrograms``, it is decided on an article's own terms and
/// positions, as FTS5 decides it on the article's row of the index: a phrase is its tokens at
/// consecutive positions in one column, a NEAR group its phrases with at most `distance` tokens
/// between the end of each and the start of the last.
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
        /// The tokens' numbers in the watches' vocabulary (the last one a prefix's, for a prefix).
        var numbers: [Int32] = []
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

    /// The condition with its tokens numbered, new ones added to the vocabulary.
    func numbered(in vocabulary: inout WatchVocabulary) -> WatchCondition {
        func leaf(_ leaf: Leaf) -> Leaf {
            var numbered = leaf
            for index in numbered.alternatives.indices {
                let alternative = numbered.alternatives[index]
                numbered.alternatives[index].numbers = alternative.tokens.enumerated().map { offset, token in
                    alternative.isPrefix && offset == alternative.tokens.count - 1
                        ? vocabulary.number(prefix: token) : vocabulary.number(term: token)
                }
            }
            return numbered
        }
        switch self {
        case .leaf(let found): return .leaf(leaf(found))
        case .near(let members, let distance): return .near(members.map(leaf), distance: distance)
        case .and(let children): return .and(children.map { $0.numbered(in: &vocabulary) })
        case .or(let children): return .or(children.map { $0.numbered(in: &vocabulary) })
        case .not(let child): return .not(child.numbered(in: &vocabulary))
        }
    }
}
