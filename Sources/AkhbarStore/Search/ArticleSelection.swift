import ArabicText
import GRDB

/// The articles a count or a list of terms looks at: a query's strict matches (every word in some
/// form, as `Search` with `partial: false`), narrowed by dates, outlet and author (any source's), as a SQL source
/// and conditions over `article a`.
struct ArticleSelection {
    /// `article a`, or the full-text matches joined to it.
    var source: String
    /// Conditions, each starting with ` AND `.
    var conditions: String
    var arguments: StatementArguments
    /// The full-text expression of the query's words; nil for a query without words.
    var match: String?

    /// `SELECT` of `columns` over the selected articles, with `tail` (`GROUP BY …`, `ORDER BY …`).
    func sql(_ columns: String, _ tail: String = "") -> String {
        "SELECT \(columns) FROM \(source) WHERE 1\(conditions) \(tail)"
    }

    /// The selected articles' ids, ascending. Without conditions they come from the full-text index
    /// alone: joining the article table would read a page of it for each match.
    func ids(_ db: Database) throws -> [Int64] {
        if let match, conditions.isEmpty {
            return try Int64.fetchAll(
                db.cachedStatement(sql: "SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY rowid"),
                arguments: [match])
        }
        return try Int64.fetchAll(db, sql: sql("a.id", "ORDER BY a.id"), arguments: arguments)
    }
}

extension ArticleStore {
    /// The plan of a count's or terms' query; nil for none (every article).
    func selectionPlan(_ query: String?) throws -> SearchPlan? {
        guard let query, !query.allSatisfy(\.isWhitespace) else { return nil }
        do {
            return try SearchPlan(Query(parsing: query, analyzer: analyzer))
        } catch {
            throw SearchError.invalidQuery(error.description)
        }
    }

    /// The articles `plan` matches with the filters; nil when its words are in no article.
    func selection(
        _ plan: SearchPlan?, since: String?, until: String?, outlet: String?, author: String?, in db: Database
    ) throws -> ArticleSelection? {
        let filter = try ArticleFilter(plan?.filters ?? [], since: since, until: until, analyzer: analyzer, db: db)
        var selection = ArticleSelection(
            source: "article a", conditions: filter.sql, arguments: filter.arguments, match: nil)
        // Through any source: a copy may state another outlet or author than its article's.
        if let outlet {
            selection.conditions +=
                " AND (a.outlet = ? OR a.id IN (SELECT articleId FROM source_meta WHERE outlet = ?))"
            _ = selection.arguments.append(contentsOf: [outlet, outlet])
        }
        if let author {
            selection.conditions +=
                " AND (a.author = ? OR a.id IN (SELECT articleId FROM source_meta WHERE author = ?))"
            _ = selection.arguments.append(contentsOf: [author, author])
        }
        if let plan, plan.text != nil {
            guard let match = try strictMatch(of: plan, in: db) else { return nil }
            selection.source =
                "(SELECT rowid AS id FROM article_fts WHERE article_fts MATCH ?) m JOIN article a ON a.id = m.id"
            selection.arguments = [match.expression] + selection.arguments
            selection.match = match.expression
        }
        return selection
    }
}
