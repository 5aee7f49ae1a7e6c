import ArabicText
import Articles
import Glibc

/// The document-mode analysis of an article's indexed columns, done once in a parsing worker while
/// there are watches: they read their terms from it, and the `akhbar` tokenizer replays it when the
/// writer adds the article to the full-text index (see ``TokenReplay``), instead of analyzing the
/// text again on the one writer.
struct ArticleAnalysis: Sendable {
    /// One column's text and its tokens, as the analyzer reported them.
    struct Column: Sendable {
        /// The text analyzed: the tokenizer replays only for the very same bytes.
        let text: String
        /// Every token's bytes, one after another.
        fileprivate(set) var termBytes: [UInt8] = []
        fileprivate(set) var tokens: [Token] = []

        init(_ text: String, analyzer: ArabicAnalyzer) {
            var text = text
            self.text = text
            text.withUTF8 { analyze($0, analyzer) }
        }

        /// The analysis of UTF-8 bytes that are not kept as a `String` (a body as SQLite holds it).
        init(utf8 bytes: UnsafeBufferPointer<UInt8>, analyzer: ArabicAnalyzer) {
            text = ""
            analyze(bytes, analyzer)
        }

        private mutating func analyze(_ bytes: UnsafeBufferPointer<UInt8>, _ analyzer: ArabicAnalyzer) {
            termBytes.reserveCapacity(bytes.count * 2)
            analyzer.analyze(utf8: bytes, mode: .document) { term, range, colocated in
                termBytes.append(contentsOf: term)
                // Clamped, not trapped: no file the daemon takes comes near 2 GiB.
                tokens.append(
                    Token(
                        termEnd: Int32(clamping: termBytes.count), start: Int32(clamping: range.lowerBound),
                        end: Int32(clamping: range.upperBound), colocated: colocated))
            }
        }

        /// Calls `body` with each token as the analyzer would.
        func forEachToken(
            _ body: (_ term: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ colocated: Bool) throws -> Void
        ) rethrows {
            try termBytes.withUnsafeBufferPointer { all in
                var termStart = 0
                for token in tokens {
                    let termEnd = Int(token.termEnd)
                    try body(
                        UnsafeBufferPointer(rebasing: all[termStart..<termEnd]), Int(token.start)..<Int(token.end),
                        token.colocated)
                    termStart = termEnd
                }
            }
        }

        /// About how many bytes it holds.
        var byteCount: Int { termBytes.count + tokens.count * MemoryLayout<Token>.stride }
    }

    struct Token: Sendable {
        var termEnd: Int32
        var start: Int32
        var end: Int32
        var colocated: Bool
    }

    /// Title, body, outlet and author: the columns of `article_fts`, in order; nil for a column
    /// without text.
    let columns: [Column?]

    init(_ article: Article, analyzer: ArabicAnalyzer) {
        columns = [article.title, article.body, article.outlet, article.author].map { text in
            text.map { Column($0, analyzer: analyzer) }
        }
    }

    /// The column analyzed from exactly these bytes, if any.
    func column(for text: UnsafeBufferPointer<UInt8>) -> Column? {
        for case let column? in columns {
            var analyzed = column.text
            let same = analyzed.withUTF8 { bytes in
                bytes.count == text.count
                    && (bytes.isEmpty || memcmp(bytes.baseAddress!, text.baseAddress!, bytes.count) == 0)
            }
            if same { return column }
        }
        return nil
    }

    /// About how many bytes it holds.
    var byteCount: Int { columns.reduce(0) { $0 + ($1?.byteCount ?? 0) } }
}

/// The analysis the `akhbar` tokenizer may replay on this thread: set by the writer around the
/// one statement that adds an article to the index, which tokenizes while it runs.
enum TokenReplay {
    @TaskLocal static var analysis: ArticleAnalysis?
}
