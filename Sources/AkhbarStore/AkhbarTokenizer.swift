import ArabicText
import GRDB

/// The FTS5 tokenizer `akhbar`: hands SQLite the terms of ``ArabicAnalyzer``, with byte offsets
/// into the original text, so FTS5's own `highlight()`/`snippet()` would mark the characters the
/// user sees (Akhbar's snippets use the same analysis, see ``SnippetBuilder``).
///
/// Registered on every connection, so readers can search while the writer ingests. An article added
/// by the writer while there are watches is not analyzed again: the analysis its parsing worker made
/// for them is handed over as it was (``TokenReplay``).
final class AkhbarTokenizer: FTS5CustomTokenizer {
    static let name = "akhbar"
    private let analyzer = ArabicAnalyzer()

    init(db: Database, arguments: [String]) {}

    func tokenize(
        context: UnsafeMutableRawPointer?,
        tokenization: FTS5Tokenization,
        pText: UnsafePointer<CChar>?,
        nText: CInt,
        tokenCallback: @escaping FTS5TokenCallback
    ) -> CInt {
        guard let pText, nText > 0 else { return 0 }
        let text = UnsafeBufferPointer(
            start: UnsafeRawPointer(pText).assumingMemoryBound(to: UInt8.self), count: Int(nText))
        let mode: AnalysisMode = tokenization.contains(.query) ? .query : .document
        var status: CInt = 0  // SQLITE_OK
        let emit = { (term: UnsafeBufferPointer<UInt8>, range: Range<Int>, colocated: Bool) in
            guard status == 0, let base = term.baseAddress else { return }
            status = base.withMemoryRebound(to: CChar.self, capacity: term.count) {
                tokenCallback(
                    context, colocated ? FTS5TokenFlags.colocated.rawValue : 0, $0, CInt(term.count),
                    CInt(range.lowerBound), CInt(range.upperBound))
            }
        }
        // An article being added comes with its analysis, made by a parsing worker.
        if mode == .document, let column = TokenReplay.analysis?.column(for: text) {
            column.forEachToken(emit)
        } else {
            analyzer.analyze(utf8: text, mode: mode, emit)
        }
        return status
    }
}
