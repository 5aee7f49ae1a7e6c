import ArabicText

/// The full-text part of a query, as the store compiles it: a tree whose leaves are numbered, so
/// that ranking counts each query word once whatever forms and copies of it an expression holds.
indirect enum TextCondition: Sendable, Hashable {
    case leaf(TextLeaf)
    /// Members within `distance` words of each other, in any order.
    case near([TextLeaf], distance: Int)
    case and([TextCondition])
    case or([TextCondition])
    /// Only ever a child of `and`, beside a condition that is not negated.
    case not(TextCondition)

    /// Every leaf, in order.
    var leaves: [TextLeaf] {
        switch self {
        case .leaf(let leaf): [leaf]
        case .near(let members, _): members
        case .and(let children), .or(let children): children.flatMap(\.leaves)
        case .not(let child): child.leaves
        }
    }
}

/// A word or phrase of a query, with the ranking clause it is counted as.
struct TextLeaf: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case word(QueryWord)
        case phrase(QueryPhrase)
    }

    var kind: Kind
    /// The column it is limited to, if any.
    var field: QueryField?
    /// Its number among the query's leaves: the ranking clause its phrases belong to.
    var clause: Int

    /// A plain word (not a prefix) that is among the very common ones.
    var isStopword: Bool {
        if case .word(let word) = kind { word.forms.isStopword && !word.isPrefix } else { false }
    }

    /// The phrases it matches, the exact ones first. A word searched for matches every form the
    /// analysis gives it (or, with `literalOnly`, only the form typed); a word that only filters or
    /// excludes matches itself and its stem, so a name stays as narrow as it was typed.
    func phrases(negated: Bool, literalOnly: Bool) -> [MatchPhrase] {
        let marked = !negated && field == nil
        switch kind {
        case .phrase(let phrase):
            return [
                MatchPhrase(
                    terms: phrase.terms, isPrefix: phrase.isPrefix, clause: clause, isExact: true, isMarked: marked)
            ]
        case .word(let word) where word.isPrefix:
            return [
                MatchPhrase(
                    terms: [word.forms.literal], isPrefix: true, clause: clause, isExact: true, isMarked: marked)
            ]
        case .word(let word):
            let forms = word.forms
            let terms: [String]
            let exactCount: Int
            if negated || field != nil {
                (terms, exactCount) = (forms.narrow, 1)
            } else if literalOnly {
                (terms, exactCount) = ([forms.literal], 1)
            } else {
                (terms, exactCount) = (forms.all, forms.exact.count)
            }
            return terms.enumerated().map { index, term in
                MatchPhrase(
                    terms: [term], isPrefix: false, clause: clause, isExact: index < exactCount, isMarked: marked)
            }
        }
    }
}
