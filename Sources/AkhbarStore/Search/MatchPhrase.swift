import ArabicText

/// One phrase of a compiled FTS5 expression, with what ranking and snippets need to know of it.
///
/// FTS5 numbers the phrases of an expression in the order they are written; a ``CompiledMatch``
/// lists them in that order, because it writes each one as it lists it.
struct MatchPhrase: Sendable, Hashable {
    /// Index terms in order (stem terms start with ``ArabicText/ArabicAnalyzer/stemMarker``).
    let terms: [String]
    /// Whether the last term is a prefix.
    let isPrefix: Bool
    /// The query word, phrase or proximity member it stands for: ranking counts each once.
    var clause: Int
    /// One of the clause's exact forms (the word as typed or with another proclitic, a quoted
    /// phrase, a prefix) rather than one of its other forms (stem, other inflections).
    var isExact: Bool
    /// Whether a snippet marks where it occurs: it stands for a word searched for, not for a field
    /// filter or an exclusion.
    var isMarked: Bool

    /// The phrase as an FTS5 string: quoted, a quote inside written twice, `*` for a prefix. Made
    /// once: every tier writes it and looks its count up by it.
    let text: String

    init(terms: [String], isPrefix: Bool, clause: Int, isExact: Bool, isMarked: Bool) {
        self.terms = terms
        self.isPrefix = isPrefix
        self.clause = clause
        self.isExact = isExact
        self.isMarked = isMarked
        var joined = terms.joined(separator: " ")
        // Analyzed terms never hold a quote; a phrase typed in quotes could only through a bug.
        if joined.contains("\"") {
            joined = joined.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"")
        }
        text = "\"" + joined + "\"" + (isPrefix ? "*" : "")
    }
}
