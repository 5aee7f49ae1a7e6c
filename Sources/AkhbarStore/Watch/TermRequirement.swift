/// What an article's index terms must include for a watch to have a chance of matching it: the
/// percolator's way to pick, from an article's own terms, the few watches worth checking.
///
/// Like the query analysis of Lucene's Monitor, it keeps, for each condition, a set of terms of
/// which a matching article must hold at least one: one token of each of a word's forms, the most
/// selective child of a conjunction, every child of a disjunction. A condition that requires no
/// term of its own (an exclusion) cannot narrow the candidates.
struct TermRequirement: Sendable, Hashable {
    /// Index terms, any of which may satisfy the requirement.
    var terms: Set<IndexTerm> = []
    /// Prefixes (of `word*`): an index term starting with one satisfies it.
    var prefixes: Set<IndexTerm> = []
    /// Whether an article holding one of the terms satisfies the whole condition: a word (or words
    /// joined by OR) in any column, each form one token. Such a watch needs no further check.
    var isSufficient = false
    /// For a conjunction, the requirement of another of its children: an article must hold a term
    /// of both. Most candidates of a conjunction chosen by one word lack the other; checked at
    /// selection, they are never evaluated (Lucene's Monitor does the same in several passes).
    var second: Second?

    /// The terms and prefixes of a second requirement.
    struct Second: Sendable, Hashable {
        var terms: Set<IndexTerm>
        var prefixes: Set<IndexTerm>
    }

    /// The requirement of `condition`, or nil when it requires no particular term.
    init?(_ condition: WatchCondition) {
        guard var found = Self.requirement(condition) else { return nil }
        found.isSufficient = Self.isSufficient(condition)
        if case .and(let children) = condition {
            let ranked = Self.ranked(children.compactMap { Self.requirement($0) })
            if ranked.count > 1 { found.second = Second(terms: ranked[1].terms, prefixes: ranked[1].prefixes) }
        }
        self = found
    }

    private static func isSufficient(_ condition: WatchCondition) -> Bool {
        switch condition {
        case .leaf(let leaf):
            leaf.field == nil && leaf.alternatives.allSatisfy { $0.tokens.count == 1 && !$0.isPrefix }
        case .or(let children): children.allSatisfy(isSufficient)
        case .near, .and, .not: false
        }
    }

    /// How many more articles a term of this requirement is likely in than a word of the text: an
    /// outlet's or an author's name is in every article they sign.
    private var spread = 1

    private init(terms: Set<IndexTerm>, prefixes: Set<IndexTerm>) {
        self.terms = terms
        self.prefixes = prefixes
    }

    private static func requirement(_ condition: WatchCondition) -> TermRequirement? {
        switch condition {
        case .leaf(let leaf):
            return requirement(leaf)
        case .near(let members, _):
            return best(members.compactMap(requirement))
        case .and(let children):
            return best(children.compactMap(requirement))
        case .or(let children):
            var union = TermRequirement(terms: [], prefixes: [])
            for child in children {
                guard let found = requirement(child) else { return nil }
                union.terms.formUnion(found.terms)
                union.prefixes.formUnion(found.prefixes)
                union.spread = max(union.spread, found.spread)
            }
            return union
        case .not:
            return nil
        }
    }

    private static func requirement(_ leaf: WatchCondition.Leaf) -> TermRequirement? {
        var requirement = TermRequirement(terms: [], prefixes: [])
        if leaf.field == .outlet || leaf.field == .author { requirement.spread = 8 }
        for alternative in leaf.alternatives {
            // Each token of a phrase is necessary: the longest is usually the rarest. The last token
            // of a prefix phrase is only a prefix, so a whole token is preferred.
            let whole = alternative.isPrefix ? Array(alternative.tokens.dropLast()) : alternative.tokens
            if let token = whole.max(by: { $0.count < $1.count }) {
                requirement.terms.insert(token)
            } else if let prefix = alternative.tokens.last {
                requirement.prefixes.insert(prefix)
            }
        }
        return requirement.terms.isEmpty && requirement.prefixes.isEmpty ? nil : requirement
    }

    /// Of requirements that all hold, the one that lets fewest articles through: fewest alternatives,
    /// prefixes counting as many and names of outlets and authors as several, then the longest
    /// shortest term. (`outlet:X word` chose X, and every article of X became a candidate of each
    /// such watch.)
    private static func best(_ candidates: [TermRequirement]) -> TermRequirement? {
        ranked(candidates).first
    }

    /// Requirements from the one that lets fewest articles through; stable among equals.
    private static func ranked(_ candidates: [TermRequirement]) -> [TermRequirement] {
        candidates.enumerated().sorted { a, b in
            if a.element.cost != b.element.cost { return a.element.cost < b.element.cost }
            if a.element.shortest != b.element.shortest { return a.element.shortest > b.element.shortest }
            return a.offset < b.offset
        }.map(\.element)
    }

    private var cost: Int { (terms.count + prefixes.count * 16) * spread }
    private var shortest: Int {
        (terms.map(\.count) + prefixes.map(\.count)).min() ?? 0
    }
}
