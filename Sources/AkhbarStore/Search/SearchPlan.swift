import ArabicText

/// A parsed query split into what the full-text index answers and what the article table answers,
/// and compiled from there to FTS5 expressions. This is the one place a ``ArabicText/Query`` becomes
/// FTS5 syntax, and it lists each expression's phrases as it writes them, so ranking always knows
/// which query word every phrase stands for.
struct SearchPlan: Sendable {
    /// What the index must match; nil when the query has only date and place conditions.
    var text: TextCondition?
    /// Date and place conditions on whole articles.
    var filters: [ArticleCondition]
    /// False when the query's words are all very common ones: every article has them, so a score would
    /// only reward short articles, and the newest matches come first.
    var isRanked: Bool

    /// How a tier of a search matches the query's words.
    enum Tier: Sendable, CaseIterable {
        /// Every word in the very form typed (normalized): the articles an exact search means.
        case literal
        /// Every word in any of its forms.
        case strict
        /// All words but one, so one misspelled word does not empty the result.
        case relaxed
    }

    /// Up to this many words, the relaxed expression lists each all-but-one combination; longer
    /// queries (whose expression that would square) fall back to any word.
    static let maximumRelaxedWords = 8
    /// Most FTS5 NEAR groups one proximity condition expands to (one per combination of its
    /// members' forms); beyond it, each member keeps its commonest forms.
    static let maximumNearGroups = 64

    init(_ query: Query) throws(InvalidQuery) {
        var conjuncts: [QueryNode]
        if case .and(let children) = query.root { conjuncts = children } else { conjuncts = [query.root] }
        filters = []
        var text: [QueryNode] = []
        for node in conjuncts {
            switch node {
            case .date(let range): filters.append(.date(range, negated: false))
            case .place(let place): filters.append(.place(place, negated: false))
            case .not(.date(let range)): filters.append(.date(range, negated: true))
            case .not(.place(let place)): filters.append(.place(place, negated: true))
            default: text.append(node)
            }
        }
        var clause = 0
        var conditions = try text.map { node throws(InvalidQuery) in
            try Self.condition(node, field: nil, clause: &clause)
        }
        // Very common words add nothing to a query that has other words.
        let meaningful = conditions.filter { condition in
            if case .leaf(let leaf) = condition { !leaf.isStopword } else { true }
        }
        if meaningful.contains(where: { if case .not = $0 { false } else { true } }) { conditions = meaningful }
        let positives = conditions.filter { if case .not = $0 { false } else { true } }
        if positives.isEmpty, !conditions.isEmpty {
            throw InvalidQuery(reason: "the query only excludes words; add a word to search for")
        }
        self.text = conditions.count > 1 ? .and(conditions) : conditions.first
        isRanked = self.text?.leaves.contains { !$0.isStopword } ?? false
        if self.text == nil, filters.allSatisfy(\.isNegated) {
            throw InvalidQuery(
                reason: "the query only excludes dates or places; add a word, a date or a place to search for")
        }
    }

    private static func condition(_ node: QueryNode, field: QueryField?, clause: inout Int) throws(InvalidQuery)
        -> TextCondition
    {
        func leaf(_ kind: TextLeaf.Kind, _ own: QueryField?) -> TextLeaf {
            defer { clause += 1 }
            return TextLeaf(kind: kind, field: own ?? field, clause: clause)
        }
        switch node {
        case .word(let word): return .leaf(leaf(.word(word), word.field))
        case .phrase(let phrase): return .leaf(leaf(.phrase(phrase), phrase.field))
        case .near(let members, let distance, let nearField):
            var leaves: [TextLeaf] = []
            for member in members {
                switch member {
                case .word(let word): leaves.append(leaf(.word(word), word.field ?? nearField))
                case .phrase(let phrase): leaves.append(leaf(.phrase(phrase), phrase.field ?? nearField))
                default: throw InvalidQuery(reason: "NEAR takes words and phrases only")
                }
            }
            // FTS5 limits a NEAR group to one column filter: members share the first one's.
            let shared = leaves.first?.field
            return .near(
                leaves.map {
                    var member = $0
                    member.field = shared
                    return member
                }, distance: distance)
        case .and(let children):
            return .and(
                try children.map { child throws(InvalidQuery) in try condition(child, field: field, clause: &clause) })
        case .or(let children):
            return .or(
                try children.map { child throws(InvalidQuery) in try condition(child, field: field, clause: &clause) })
        case .not(let child): return .not(try condition(child, field: field, clause: &clause))
        case .date, .place:
            throw InvalidQuery(
                reason: "date: and place: filter the whole query; they cannot stand inside OR, NOT or NEAR")
        }
    }

    /// Every phrase any tier may look up, for counting before compiling.
    var phrases: [MatchPhrase] {
        guard let text else { return [] }
        return Self.phrases(in: text, negated: false)
    }

    private static func phrases(in condition: TextCondition, negated: Bool) -> [MatchPhrase] {
        switch condition {
        case .leaf(let leaf): leaf.phrases(negated: negated, literalOnly: false)
        case .near(let members, _): members.flatMap { $0.phrases(negated: negated, literalOnly: false) }
        case .and(let children), .or(let children): children.flatMap { phrases(in: $0, negated: negated) }
        case .not(let child): phrases(in: child, negated: true)
        }
    }

    /// The FTS5 expression of `tier`, its phrases pruned to those `counts` finds in some article (all
    /// of them without counts). Nil when the tier matches nothing (a required word in no article) or
    /// does not apply (a relaxed tier for fewer than two words, a literal tier for a query without a
    /// word whose typed form differs from its other forms).
    func compile(_ tier: Tier, counts: [String: Int64]?) -> CompiledMatch? {
        guard var condition = text else { return nil }
        switch tier {
        case .literal:
            guard isRanked,
                condition.leaves.contains(where: { leaf in
                    if case .word(let word) = leaf.kind { !word.isPrefix && word.forms.all.count > 1 } else { false }
                })
            else { return nil }
        case .strict: break
        case .relaxed:
            guard let relaxed = Self.relaxed(condition) else { return nil }
            condition = relaxed
        }
        let writer = ExpressionWriter(counts: counts, literalOnly: tier == .literal)
        guard let fragment = writer.write(condition, negated: false) else { return nil }
        return CompiledMatch(
            expression: fragment.text, phrases: fragment.phrases,
            clauseCount: condition.leaves.map(\.clause).max().map { $0 + 1 } ?? 0,
            expectedMatches: fragment.expected, isRelaxed: tier == .relaxed)
    }

    /// All but one of the top-level words required. Field filters and exclusions still hold. Only for
    /// a list of words and phrases: a query written with OR, NEAR or groups means exactly what it says.
    private static func relaxed(_ condition: TextCondition) -> TextCondition? {
        guard case .and(let children) = condition else { return nil }
        guard children.allSatisfy({ if case .leaf = $0 { true } else if case .not = $0 { true } else { false } }) else {
            return nil
        }
        var kept: [TextCondition] = []
        var items: [TextCondition] = []
        for child in children {
            switch child {
            case .not: kept.append(child)
            case .leaf(let leaf) where leaf.field != nil: kept.append(child)
            default: items.append(child)
            }
        }
        guard items.count > 1 else { return nil }
        let tolerant: TextCondition
        if items.count == 2 || items.count > maximumRelaxedWords {
            tolerant = .or(items)
        } else {
            tolerant = .or(
                items.indices.map { skipped in .and(items.indices.filter { $0 != skipped }.map { items[$0] }) })
        }
        // Filters first, as in the strict expression; exclusions last.
        let filters = kept.filter { if case .not = $0 { false } else { true } }
        let exclusions = kept.filter { if case .not = $0 { true } else { false } }
        return .and(filters + [tolerant] + exclusions)
    }
}

/// A date or place condition on whole articles.
enum ArticleCondition: Sendable, Hashable {
    case date(DateRange, negated: Bool)
    case place(QueryPlace, negated: Bool)

    var isNegated: Bool {
        switch self {
        case .date(_, let negated), .place(_, let negated): negated
        }
    }
}
