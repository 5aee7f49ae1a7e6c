import ArabicText

/// A watch's full-text condition, compiled once for checking single articles: the tree FTS5 would
/// evaluate, each phrase already cut into the tokens FTS5 looks up (the tokenizer in query mode splits
/// some forms, such as a joined compound name, into several).
///
/// Against an article's own terms it answers true or false wherever terms alone decide (words,
/// prefixes, fields, OR, AND, exclusions) and "unknown" where positions matter (a phrase of several
/// tokens, NEAR): only those go to the index.
indirect enum WatchCondition: Sendable {
    case leaf(Leaf)
    case near([Leaf])
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
        /// The phrase as the expression writes it, the key of a phrase count.
        var text: String
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
                        text: phrase.text,
                        tokens: analyzer.terms(in: phrase.terms.joined(separator: " "), mode: .query).map {
                            IndexTerm($0.term)
                        },
                        isPrefix: phrase.isPrefix)
                })
        }
        switch condition {
        case .leaf(let textLeaf):
            self = .leaf(leaf(textLeaf, field: textLeaf.field))
        case .near(let members, _):
            // FTS5 takes one column filter for a whole NEAR group: the first member's.
            let field = members.first?.field
            self = .near(members.map { leaf($0, field: field) })
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

    /// True or false when the article's terms decide, nil when only the index can (positions).
    func holds(in terms: ArticleTerms) -> Bool? {
        switch self {
        case .leaf(let leaf):
            return Self.holds(leaf, in: terms.column(leaf.field), positional: false)
        case .near(let members):
            // Every member present is necessary; how far apart they are only the index knows.
            for member in members where Self.holds(member, in: terms.column(member.field), positional: true) == false {
                return false
            }
            return nil
        case .and(let children):
            return Self.combine(children, in: terms, decidedBy: false)
        case .or(let children):
            return Self.combine(children, in: terms, decidedBy: true)
        case .not(let child):
            return child.holds(in: terms).map { !$0 }
        }
    }

    /// AND (decided by a false child) or OR (by a true one); unknown when no child decides and one
    /// is unknown.
    private static func combine(_ children: [WatchCondition], in terms: ArticleTerms, decidedBy decisive: Bool) -> Bool?
    {
        var unknown = false
        for child in children {
            switch child.holds(in: terms) {
            case decisive: return decisive
            case nil: unknown = true
            default: break
            }
        }
        return unknown ? nil : !decisive
    }

    /// With `positional`, even a single token's presence leaves the answer open (false stays false).
    private static func holds(_ leaf: Leaf, in terms: Set<IndexTerm>, positional: Bool) -> Bool? {
        var unknown = false
        for alternative in leaf.alternatives where alternative.isPresent(in: terms) {
            if alternative.tokens.count > 1 || positional { unknown = true } else { return true }
        }
        return unknown ? nil : false
    }

    /// Every phrase's count in one article: 1 when its tokens are all there, else 0. Compiling the
    /// watch with these leaves out what the article cannot match, so the index checks only the rest.
    func counts(in terms: ArticleTerms) -> [String: Int64] {
        var counts: [String: Int64] = [:]
        func visit(_ condition: WatchCondition) {
            switch condition {
            case .leaf(let leaf):
                for alternative in leaf.alternatives {
                    counts[alternative.text] = alternative.isPresent(in: terms.all) ? 1 : 0
                }
            case .near(let members):
                for alternative in members.flatMap(\.alternatives) {
                    counts[alternative.text] = alternative.isPresent(in: terms.all) ? 1 : 0
                }
            case .and(let children), .or(let children): children.forEach(visit)
            case .not(let child): visit(child)
            }
        }
        visit(self)
        return counts
    }
}

extension WatchCondition.Alternative {
    /// Whether every token occurs in `terms` (the last as a prefix of one, for a prefix phrase).
    func isPresent(in terms: Set<IndexTerm>) -> Bool {
        guard let last = tokens.last else { return false }
        guard tokens.dropLast().allSatisfy(terms.contains) else { return false }
        if !isPrefix { return terms.contains(last) }
        return terms.contains { $0.hasPrefix(last) }
    }
}
