import ArabicText

/// A word as ``TermTally`` counts it, every inflection together, or a phrase of two such words.
///
/// A word is its stem, or the word itself when the analyzer gives it no other stem, and so reads
/// the way the full-text index keeps it: a stem term `#stem` beside each word that has one, and
/// only the word for a word that is its own stem.
struct TermKey: Hashable, Sendable {
    /// The words' keys, a space between.
    let text: String

    init(word: String) {
        text = word
    }

    init(pair first: TermKey, _ second: TermKey) {
        text = first.text + " " + second.text
    }

    var words: [Substring] { text.split(separator: " ") }

    /// An FTS5 expression matching the titles and bodies that have the term in any of its forms.
    func expression(analyzer: ArabicAnalyzer) -> String {
        // Each word is its stem term, or the word itself where the word is its own stem: an article
        // with عمال (stem عمل) and one with عمل both have the word.
        let forms = words.map { word -> [String] in
            let marked = String(ArabicAnalyzer.stemMarker) + word
            return analyzer.stem(String(word)) == word ? [marked, String(word)] : [marked]
        }
        var phrases: [[String]] = [[]]
        for alternatives in forms {
            phrases = phrases.flatMap { phrase in alternatives.map { phrase + [$0] } }
        }
        let written = phrases.map { "\"" + $0.joined(separator: " ") + "\"" }
        return "{title body} : (" + written.joined(separator: " OR ") + ")"
    }
}
