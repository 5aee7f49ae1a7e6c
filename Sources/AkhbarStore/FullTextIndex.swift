import GRDB

/// The full-text analysis as a reusable piece, for tools that build their own FTS5 tables with
/// Akhbar's tokenizer (the index-cost benchmark compares it with SQLite's unicode61).
public enum FullTextIndex {
    /// The name to give FTS5's `tokenize=` option.
    public static let tokenizerName = AkhbarTokenizer.name

    /// Registers the tokenizer and the ranking function on a connection; call it from
    /// `Configuration.prepareDatabase`.
    public static func register(on db: Database) {
        register(on: db, lengths: nil)
    }

    static func register(on db: Database, lengths: DocumentLengths?) {
        db.add(tokenizer: AkhbarTokenizer.self)
        RankFunction.register(on: db, lengths: lengths)
        PhraseCountFunction.register(on: db)
    }
}
