import GRDB

/// Keeps `article_fts` in step with `article`, one statement per change.
///
/// Not done by triggers: a statement that fires a trigger writes more than one table, so SQLite
/// opens a statement savepoint for it, and FTS5 answers every savepoint by writing its pending
/// terms out as a new index segment. With a trigger, each article of a batch became its own
/// segment to be merged later, a third of the ingest's time; single-row inserts into the index let
/// a batch's terms gather in memory and reach disk once, at commit.
///
/// The outlet and author columns hold the article's own and those of any copy that names another
/// (`source_meta`), a line each, so that `outlet:` and `author:` find an article through any source.
/// The index must be told exactly the text it was given, so ``remove(id:in:)`` reads it from the
/// same tables: change `source_meta` only between a removal and a ``restore(id:in:)``. While a copy
/// names another, the index holds more than the article table: FTS5's `rebuild` would drop those
/// names, and its `integrity-check` with rank 1 reports the difference.
enum FullTextEntry {
    /// Adds a new or rewritten article, which no other source names differently yet. The tokenizer
    /// replays the analysis the parsing worker made of it, if any.
    static func add(id: Int64, _ prepared: PreparedArticle, in db: Database) throws {
        let article = prepared.article
        try TokenReplay.$analysis.withValue(prepared.analysis) {
            try insert(
                [
                    id.databaseValue, article.title.databaseValue, article.body.databaseValue,
                    article.outlet.databaseValue, article.author.databaseValue,
                ], in: db)
        }
    }

    /// Adds an article's entry again from what the store holds, its sources' names included.
    static func restore(id: Int64, in db: Database) throws {
        guard let values = try stored(id: id, in: db) else { return }
        try insert([id.databaseValue] + values, in: db)
    }

    /// Removes an article's entry; call it before its row changes, since the index is given the
    /// text it was built from.
    /// (A plain VALUES insert: `INSERT … SELECT` would open a savepoint too.)
    static func remove(id: Int64, in db: Database) throws {
        guard let values = try stored(id: id, in: db) else { return }
        try db.cachedStatement(
            sql:
                "INSERT INTO article_fts(article_fts, rowid, title, body, outlet, author) VALUES ('delete', ?, ?, ?, ?, ?)"
        )
        .execute(arguments: StatementArguments([id.databaseValue] + values))
    }

    private static func insert(_ values: [DatabaseValue], in db: Database) throws {
        try db.cachedStatement(
            sql: "INSERT INTO article_fts(rowid, title, body, outlet, author) VALUES (?, ?, ?, ?, ?)"
        )
        .execute(arguments: StatementArguments(values))
    }

    /// Title, body, outlets and authors as indexed.
    private static func stored(id: Int64, in db: Database) throws -> [DatabaseValue]? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT title, body, outlet, author FROM article WHERE id = ?"), arguments: [id]
            )
        else { return nil }
        var outlet: String? = row[2]
        var author: String? = row[3]
        let others = try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT outlet, author FROM source_meta WHERE articleId = ? ORDER BY path, position"),
            arguments: [id])
        if !others.isEmpty {
            outlet = joined(outlet, others.compactMap { $0[0] })
            author = joined(author, others.compactMap { $0[1] })
        }
        return [row[0], row[1], outlet.databaseValue, author.databaseValue]
    }

    /// The article's own name, then the others it does not hold yet, a line each.
    private static func joined(_ own: String?, _ others: [String]) -> String? {
        var names: [String] = own.map { [$0] } ?? []
        for name in others where !names.contains(name) { names.append(name) }
        return names.isEmpty ? nil : names.joined(separator: "\n")
    }
}
