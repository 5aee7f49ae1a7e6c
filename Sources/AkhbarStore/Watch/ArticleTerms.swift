import ArabicText
import Articles

/// The index terms of one article, column by column, as the `akhbar` tokenizer hands them to FTS5:
/// what a watch is checked against before the index itself is asked.
struct ArticleTerms: Sendable {
    var title: Set<IndexTerm> = []
    var body: Set<IndexTerm> = []
    var outlet: Set<IndexTerm> = []
    var author: Set<IndexTerm> = []
    /// Every column's terms.
    var all: Set<IndexTerm> = []

    init(_ article: Article, analyzer: ArabicAnalyzer) {
        title = Self.terms(of: article.title, analyzer)
        body = Self.terms(of: article.body, analyzer)
        outlet = Self.terms(of: article.outlet, analyzer)
        author = Self.terms(of: article.author, analyzer)
        all = title.union(body).union(outlet).union(author)
    }

    /// The terms of one column, or of every column.
    func column(_ field: QueryField?) -> Set<IndexTerm> {
        switch field {
        case nil: all
        case .title: title
        case .outlet: outlet
        case .author: author
        }
    }

    private static func terms(of text: String?, _ analyzer: ArabicAnalyzer) -> Set<IndexTerm> {
        guard var text else { return [] }
        var terms = Set<IndexTerm>()
        text.withUTF8 { bytes in
            analyzer.analyze(utf8: bytes, mode: .document) { term, _, _ in
                terms.insert(IndexTerm(term))
            }
        }
        return terms
    }
}
