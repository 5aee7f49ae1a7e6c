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
    /// How the file's bytes are kept for its articles; nil when they were not given or the file
    /// holds no article.
    let bytes: SourceBytes?

    /// How many bytes of the dropped file are kept beside its articles' texts.
    public var keptByteCount: Int {
        if case .file(let file) = bytes { file.stored.count } else { 0 }
    }

    /// `bytes` are the file as it was dropped, to be kept with its articles. With `watches`, each
    /// article is also checked against the watches, so that the writer only has to confirm and
    /// record the matches.
    public init(_ file: DropFile, bytes: [UInt8]? = nil, watches: WatchPreparation? = nil) {
        var originals: [String] = []
        items = file.items.map { item in
            switch item.content {
            case .article(let article):
                originals.append(article.original)
                return Item(position: item.position, content: .article(PreparedArticle(article, watches: watches)))
            case .rejected(let reason): return Item(position: item.position, content: .rejected(reason: reason))
            }
        }
        if let bytes, !originals.isEmpty {
            self.bytes = SourceBytes(bytes, single: file.items.count == 1 ? originals.first : nil)
        } else {
            self.bytes = nil
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
    /// The analysis of its indexed columns, made for the watches and replayed to the full-text
    /// index; nil without watches, where the writer's tokenizer analyzing the text costs less than
    /// keeping every token until the article is written (31k ingest: CPU 24.8 s against 26.5 s,
    /// peak RSS 117 against 129 MB, the rate the same).
    let analysis: ArticleAnalysis?
    /// Its check against the watches, when done beforehand.
    let watchCheck: ArticleWatchCheck?

    init(_ article: Article, watches: WatchPreparation?) {
        self.article = article
        contentHash = ContentHash.of(text: article.original)
        simhash = SimHash(text: article.body)
        storedOriginal = StoredText(article.original)
        if let watches {
            let analysis = ArticleAnalysis(article, analyzer: watches.analyzer)
            self.analysis = analysis
            watchCheck = watches.check(analysis)
        } else {
            analysis = nil
            watchCheck = nil
        }
    }

    /// About how many bytes its analysis holds, beside the text.
    public var analyzedByteCount: Int { analysis?.byteCount ?? 0 }
}
