/// What an article's index terms must include for a query to have a chance of matching it: the
/// percolator's way to pick, from an article's own terms, the few watches worth verifying.
///
/// Like the query analysis of Lucene's Monitor, it keeps, for each condition, a set of terms of
/// which a matching article must hold at least one: a word's forms, one word of a phrase, the most
/// selective child of a conjunction, every child of a disjunction. A condition that requires no term
/// of its own (an exclusion) cannot narrow the candidates.
struct TermRequirement: Sendable, Hashable {
    /// Index terms, any of which may satisfy the requirement.
    var terms: Set<String> = []
    /// Prefixes (of `word*`): an index term starting with one satisfies it.
    var prefixes: Set<String> = []

    /// The requirement of `condition`, or nil when it requires no particular term.
    init?(_ condition: TextCondition) {
        guard let found = Self.requirement(condition) else { return nil }
        self = found
    }

    private init(terms: Set<String>, prefixes: Set<String>) {
        self.terms = terms
        self.prefixes = prefixes
    }

    private static func requirement(_ condition: TextCondition) -> TermRequirement? {
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
            }
            return union
        case .not:
            return nil
        }
    }

    private static func requirement(_ leaf: TextLeaf) -> TermRequirement? {
        var requirement = TermRequirement(terms: [], prefixes: [])
        for phrase in leaf.phrases(negated: false, literalOnly: false) {
            // A phrase's occurrence implies each of its terms: the longest is usually the rarest. The
            // last term of a prefix phrase is only a prefix, so a whole term is preferred.
            let whole = phrase.isPrefix ? Array(phrase.terms.dropLast()) : phrase.terms
            if let term = whole.max(by: { $0.unicodeScalars.count < $1.unicodeScalars.count }) {
                requirement.terms.insert(term)
            } else if let prefix = phrase.terms.last {
                requirement.prefixes.insert(prefix)
            }
        }
        return requirement.terms.isEmpty && requirement.prefixes.isEmpty ? nil : requirement
    }

    /// Of requirements that all hold, the one that lets fewest articles through: fewest alternatives,
    /// prefixes counting as many, then the longest shortest term.
    private static func best(_ candidates: [TermRequirement]) -> TermRequirement? {
        candidates.min { a, b in
            if a.cost != b.cost { return a.cost < b.cost }
            return a.shortest > b.shortest
        }
    }

    private var cost: Int { terms.count + prefixes.count * 16 }
    private var shortest: Int {
        (terms.map(\.unicodeScalars.count) + prefixes.map(\.unicodeScalars.count)).min() ?? 0
    }
}

/// Whether an article holding `terms` (anywhere: columns and positions are left to the verifying
/// query) may satisfy the condition. False means it cannot; true means it must be verified.
func mayHold(_ condition: TextCondition, in terms: Set<String>) -> Bool {
    switch condition {
    case .leaf(let leaf):
        return leaf.phrases(negated: false, literalOnly: false).contains { phrase in
            let whole = phrase.isPrefix ? phrase.terms.dropLast() : phrase.terms[...]
            guard whole.allSatisfy(terms.contains) else { return false }
            guard phrase.isPrefix, let prefix = phrase.terms.last else { return true }
            return terms.contains { $0.hasPrefix(prefix) }
        }
    case .near(let members, _):
        return members.allSatisfy { mayHold(.leaf($0), in: terms) }
    case .and(let children):
        return children.allSatisfy { mayHold($0, in: terms) }
    case .or(let children):
        return children.contains { mayHold($0, in: terms) }
    case .not:
        // Whether the excluded words occur says nothing a verification would not: it decides.
        return true
    }
}
