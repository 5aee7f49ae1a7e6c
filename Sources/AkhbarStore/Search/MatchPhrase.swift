import ArabicText

/// One phrase of a compiled FTS5 expression, with what ranking and snippets need to know of it.
///
/// FTS5 numbers the phrases of an expression in the order they are written; a ``CompiledMatch``
/// lists them in that order, because it writes each one as it lists it.
struct MatchPhrase: Sendable, Hashable {
    /// Index terms in order (stem terms start with ``ArabicText/ArabicAnalyzer/stemMarker``).
    var terms: [String]
    /// Whether the last term is a prefix.
    var isPrefix: Bool
    /// The query word, phrase or proximity member it stands for: ranking counts each once.
    var clause: Int
    /// One of the clause's exact forms (the word as typed or with another proclitic, a quoted
    /// phrase, a prefix) rather than one of its other forms (stem, other inflections).
    var isExact: Bool
    /// Whether a snippet marks where it occurs: it stands for a word searched for, not for a field
    /// filter or an exclusion.
    var isMarked: Bool

    /// The phrase as an FTS5 string: quoted, a quote inside written twice, `*` for a prefix.
    var text: String {
        var result = "\""
        for character in terms.joined(separator: " ") {
            result.append(character == "\"" ? "\"\"" : String(character))
        }
        return result + "\"" + (isPrefix ? "*" : "")
    }
}
