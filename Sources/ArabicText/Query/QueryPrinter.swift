/// Writes a ``QueryNode`` back as query text that parses to the same node: the canonical spelling,
/// with `OR`, `-` for NOT, `NEAR(…, N)` and only the parentheses precedence needs.
enum QueryPrinter {
    /// What the text is written inside, which decides whether a group needs parentheses.
    enum Context {
        case top
        case or
        case and
        /// After a sign.
        case negated
    }

    static func text(of node: QueryNode, context: Context) -> String {
        switch node {
        case .word(let word):
            return text(of: word, signed: context == .negated)
        case .phrase(let phrase):
            return prefix(phrase.field) + quoted(phrase.typed) + (phrase.isPrefix ? "*" : "")
        case .near(let members, let distance, let field):
            let inside = members.map { member in
                switch member {
                case .word(let word): text(of: word, signed: false)
                default: text(of: member, context: .and)
                }
            }
            return prefix(field) + "NEAR(" + inside.joined(separator: " ") + ", \(distance))"
        case .and(let children):
            let joined = children.map { text(of: $0, context: .and) }.joined(separator: " ")
            return context == .and || context == .negated ? "(" + joined + ")" : joined
        case .or(let children):
            let joined = children.map { text(of: $0, context: .or) }.joined(separator: " OR ")
            return context == .top || context == .or ? joined : "(" + joined + ")"
        case .not(let child):
            return "-" + text(of: child, context: .negated)
        case .date(let range):
            return "date:" + range.text
        case .place(let place):
            let bare = !place.typed.isEmpty && !place.typed.unicodeScalars.contains(where: QueryLexer.isBoundary)
            return "place:" + (bare ? place.typed : quoted(place.typed))
        }
    }

    /// A word as typed. Outside a sign, a word that reads as an operator gets a `+`.
    private static func text(of word: QueryWord, signed: Bool) -> String {
        let keyword = ["OR", "AND", "NOT", "NEAR"].contains(word.typed) || word.typed.hasPrefix("NEAR/")
        let sign = keyword && !signed && word.field == nil ? "+" : ""
        return sign + prefix(word.field) + word.typed + (word.isPrefix ? "*" : "")
    }

    private static func prefix(_ field: QueryField?) -> String {
        field.map { $0.rawValue + ":" } ?? ""
    }

    /// Text in the first kind of quotes it does not contain (typed text came from inside one of them).
    private static func quoted(_ text: String) -> String {
        for (opening, closing) in [("\"", "\""), ("«", "»"), ("“", "”")] where !text.contains(closing) {
            return opening + text + closing
        }
        return "\"" + text.filter { $0 != "\"" } + "\""
    }
}
