import ArabicText
import Articles

/// The index terms of one article with their positions, as the `akhbar` tokenizer hands them to
/// FTS5: enough to decide a watch's whole text condition, phrases and NEAR included, without asking
/// the index.
///
/// Positions are numbered as FTS5 numbers them: from 0 in each column, one a word, a stem sharing
/// its word's position (a colocated token). The column is kept in the high bits, so positions of two
/// columns are never near each other.
struct ArticleTerms: Sendable {
    /// Each term's positions in increasing order, the column above ``columnShift``.
    private(set) var positions: [IndexTerm: [Int]] = [:]

    static let columnShift = 40

    /// The columns of `article_fts`, in order.
    init(_ article: Article, analyzer: ArabicAnalyzer) {
        for (column, text) in [article.title, article.body, article.outlet, article.author].enumerated() {
            guard var text else { continue }
            var position = column << Self.columnShift - 1
            text.withUTF8 { bytes in
                analyzer.analyze(utf8: bytes, mode: .document) { term, _, colocated in
                    if !colocated || position < column << Self.columnShift { position += 1 }
                    positions[IndexTerm(term), default: []].append(position)
                }
            }
        }
    }

    /// Every distinct term, of every column.
    var terms: Dictionary<IndexTerm, [Int]>.Keys { positions.keys }

    /// Whether the term occurs in the field's column, or in any column.
    func contains(_ term: IndexTerm, in field: QueryField?) -> Bool {
        guard let found = positions[term] else { return false }
        guard let field else { return true }
        let column = Self.column(field)
        return found.contains { $0 >> Self.columnShift == column }
    }

    /// Where the term occurs, in the field's column or in any, in increasing order.
    func positions(of term: IndexTerm, in field: QueryField?) -> [Int] {
        guard let found = positions[term] else { return [] }
        guard let field else { return found }
        let column = Self.column(field)
        return found.filter { $0 >> Self.columnShift == column }
    }

    /// Where any term starting with `prefix` occurs, in increasing order.
    func positions(withPrefix prefix: IndexTerm, in field: QueryField?) -> [Int] {
        var found: [Int] = []
        for term in positions.keys where term.hasPrefix(prefix) { found += positions(of: term, in: field) }
        return found.sorted()
    }

    /// Whether some term starting with `prefix` occurs in the field's column, or in any.
    func containsPrefix(_ prefix: IndexTerm, in field: QueryField?) -> Bool {
        positions.keys.contains { $0.hasPrefix(prefix) && contains($0, in: field) }
    }

    private static func column(_ field: QueryField) -> Int {
        switch field {
        case .title: 0
        case .outlet: 2
        case .author: 3
        }
    }
}
