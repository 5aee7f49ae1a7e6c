import ArabicText
import Articles

/// A parsed drop file with what the writer needs computed beforehand (content hashes, near-duplicate
/// fingerprints, compressed originals), so that this CPU work runs in the parsing workers and the
/// single writer only writes.
public struct PreparedFile: Sendable {
    public struct Item: Sendable {
        public var position: Int
        public var content: Content
    }

    public enum Content: Sendable {
        case article(PreparedArticle)
        case rejected(reason: String)
    }

    public var items: [Item]

    /// With `analyzer`, each article's index terms are computed too, for matching watches.
    public init(_ file: DropFile, terms analyzer: ArabicAnalyzer? = nil) {
        items = file.items.map { item in
            switch item.content {
            case .article(let article):
                Item(position: item.position, content: .article(PreparedArticle(article, terms: analyzer)))
            case .rejected(let reason): Item(position: item.position, content: .rejected(reason: reason))
            }
        }
    }
}

/// An article with its identity and fingerprint.
public struct PreparedArticle: Sendable {
    public var article: Article
    let contentHash: String
    let simhash: SimHash?
    /// The original text as stored: compressed when that saves space.
    let storedOriginal: StoredText
    /// Its index terms, when computed beforehand.
    let terms: ArticleTerms?

    init(_ article: Article, terms analyzer: ArabicAnalyzer?) {
        self.article = article
        contentHash = ContentHash.of(title: article.title, body: article.body)
        simhash = SimHash(text: article.body)
        storedOriginal = StoredText(article.original)
        terms = analyzer.map { ArticleTerms(article, analyzer: $0) }
    }
}
