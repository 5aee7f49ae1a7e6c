import ArabicText

/// Writes a ``TextCondition`` as FTS5 syntax, listing each phrase as it writes it.
///
/// Only quoted strings, parentheses, `AND`, `OR`, `NOT`, `NEAR`, `*` and column filters over the
/// index's columns are written, so the result is always a valid FTS5 expression. Phrases that
/// `counts` finds in no article are left out (FTS5 then neither looks them up nor walks them for
/// every match); a word left with no phrase matches nothing, which the tree carries up: an `AND`
/// with such a member matches nothing, an `OR` drops it, an exclusion of it excludes nothing.
struct ExpressionWriter {
    /// A written piece: its text, its phrases in order, and about how many articles it matches.
    struct Fragment {
        var text: String
        var phrases: [MatchPhrase]
        var expected: Int64?
    }

    let counts: [String: Int64]?
    let literalOnly: Bool

    func write(_ condition: TextCondition, negated: Bool) -> Fragment? {
        switch condition {
        case .leaf(let leaf):
            let phrases = kept(leaf.phrases(negated: negated, literalOnly: literalOnly))
            guard !phrases.isEmpty else { return nil }
            let alternatives = phrases.map(\.text).joined(separator: " OR ")
            var text = phrases.count > 1 ? "(" + alternatives + ")" : alternatives
            if let field = leaf.field { text = "{\(field.rawValue)} : " + text }
            // Articles having any form: at least as many as have the commonest.
            return Fragment(text: text, phrases: phrases, expected: counts.map { _ in phrases.map(count).max() ?? 0 })
        case .near(let members, let distance):
            var forms = members.map { kept($0.phrases(negated: negated, literalOnly: literalOnly)) }
            guard forms.allSatisfy({ !$0.isEmpty }) else { return nil }
            // One NEAR group per combination of the members' forms: FTS5 takes phrases in a group, not
            // alternatives. The rarest forms go first when there are too many combinations.
            while forms.map(\.count).reduce(1, *) > SearchPlan.maximumNearGroups,
                let widest = forms.indices.max(by: { forms[$0].count < forms[$1].count })
            {
                forms[widest] = Array(forms[widest].sorted { count($0) > count($1) }.dropLast())
            }
            var combinations: [[MatchPhrase]] = [[]]
            for options in forms {
                combinations = combinations.flatMap { prefix in options.map { prefix + [$0] } }
            }
            let groups = combinations.map { "NEAR(" + $0.map(\.text).joined(separator: " ") + ", \(distance))" }
            var text = groups.count > 1 ? "(" + groups.joined(separator: " OR ") + ")" : groups[0]
            if let field = members.first?.field { text = "{\(field.rawValue)} : " + text }
            let expected = counts.map { _ in forms.map { $0.map(count).max() ?? 0 }.min() ?? 0 }
            return Fragment(text: text, phrases: combinations.flatMap { $0 }, expected: expected)
        case .or(let children):
            let written = children.compactMap { write($0, negated: negated) }
            guard !written.isEmpty else { return nil }
            if written.count == 1 { return written[0] }
            return Fragment(
                text: "(" + written.map(\.text).joined(separator: " OR ") + ")", phrases: written.flatMap(\.phrases),
                expected: counts.map { _ in written.compactMap(\.expected).reduce(0, +) })
        case .and(let children):
            var required: [Fragment] = []
            var excluded: [Fragment] = []
            for child in children {
                if case .not(let inner) = child {
                    if let fragment = write(inner, negated: !negated) { excluded.append(fragment) }
                } else {
                    guard let fragment = write(child, negated: negated) else { return nil }
                    required.append(fragment)
                }
            }
            guard !required.isEmpty else { return nil }
            var text =
                required.count > 1 ? "(" + required.map(\.text).joined(separator: " AND ") + ")" : required[0].text
            if !excluded.isEmpty {
                text = "(" + text + " NOT (" + excluded.map(\.text).joined(separator: " OR ") + "))"
            }
            return Fragment(
                text: text, phrases: required.flatMap(\.phrases) + excluded.flatMap(\.phrases),
                expected: counts.map { _ in required.compactMap(\.expected).min() ?? 0 })
        case .not:
            // A query's negations are children of `and`; SearchPlan builds no other.
            return nil
        }
    }

    private func count(_ phrase: MatchPhrase) -> Int64 {
        counts?[phrase.text] ?? 0
    }

    private func kept(_ phrases: [MatchPhrase]) -> [MatchPhrase] {
        guard let counts else { return phrases }
        return phrases.filter { (counts[$0.text] ?? 0) > 0 }
    }
}
