import GRDB

/// Keeps `article_fts` in step with `article`, one statement per change.
///
/// Not done by triggers: a statement that fires a trigger writes more than one table, so SQLite
/// opens a statement savepoint for it, and FTS5 answers every savepoint by writing its pending
/// terms out as a new index segment. With a trigger, each article of a batch became its own
/// segment to be merged later, a third of the ingest's time; single-row inserts into the index let
/// a batch's terms gather in memory and reach disk once, at commit.
enum FullTextEntry {
    static func add(id: Int64, _ prepared: PreparedArticle, in db: Database) throws {
        let article = prepared.article
        try db.cachedStatement(
            sql: "INSERT INTO article_fts(rowid, title, body, outlet, author) VALUES (?, ?, ?, ?, ?)"
        )
        .execute(arguments: [id, article.title, article.body, article.outlet, article.author])
    }

    /// Removes an article's entry; call it before its row changes, since the index is given the
    /// text it was built from.
    /// (A plain VALUES insert: `INSERT … SELECT` would open a savepoint too.)
    static func remove(id: Int64, in db: Database) throws {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT title, body, outlet, author FROM article WHERE id = ?"), arguments: [id]
            )
        else { return }
        try db.cachedStatement(
            sql:
                "INSERT INTO article_fts(article_fts, rowid, title, body, outlet, author) VALUES ('delete', ?, ?, ?, ?, ?)"
        )
        .execute(arguments: [id, row[0], row[1], row[2], row[3]])
    }
}
