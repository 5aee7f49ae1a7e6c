import ArabicText
import Foundation
import GRDB

/// Date and place conditions as SQL over the article table (alias `a`): the part of a query that
/// the full-text index cannot answer.
struct ArticleFilter: Sendable {
    /// Conditions, each starting with ` AND `, or empty.
    var sql = ""
    var arguments: StatementArguments = []

    var isEmpty: Bool { sql.isEmpty }

    /// The day an article counts as published: its stated date, or the day it was ingested.
    static let day = "coalesce(substr(a.date, 1, 10), date(a.ingestedAt, 'unixepoch'))"

    /// The query's conditions with the request's own date range (`since`, `until`: `YYYY-MM-DD`).
    init(_ conditions: [ArticleCondition], since: String?, until: String?, analyzer: ArabicAnalyzer, db: Database)
        throws
    {
        for (value, name) in [(since, "since"), (until, "until")] {
            guard let value else { continue }
            guard value.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil else {
                throw ArticleStore.SearchError.invalidQuery("\(name): dates are written YYYY-MM-DD, not '\(value)'")
            }
        }
        if since != nil || until != nil { add(range: DateRange(first: since, last: until), negated: false) }
        var places: [String]?
        for condition in conditions {
            switch condition {
            case .date(let range, let negated):
                add(range: range, negated: negated)
            case .place(let place, let negated):
                if places == nil {
                    places = try String.fetchAll(
                        db.cachedStatement(sql: "SELECT DISTINCT place FROM article WHERE place IS NOT NULL"))
                }
                let wanted = place.normalized.split(separator: " ")
                let matching = (places ?? []).filter { stored in
                    let words = analyzer.terms(in: stored, mode: .query).map { Substring($0.term) }
                    return words.count >= wanted.count
                        && (0...(words.count - wanted.count)).contains { start in
                            words[start..<(start + wanted.count)].elementsEqual(wanted)
                        }
                }
                let list = Self.jsonArray(matching)
                sql +=
                    negated
                    ? " AND (a.place IS NULL OR a.place NOT IN (SELECT value FROM json_each(?)))"
                    : " AND a.place IN (SELECT value FROM json_each(?))"
                _ = arguments.append(contentsOf: [list])
            }
        }
    }

    private mutating func add(range: DateRange, negated: Bool) {
        let first = range.first ?? "0000-01-01"
        let last = range.last ?? "9999-12-31"
        sql += negated ? " AND \(Self.day) NOT BETWEEN ? AND ?" : " AND \(Self.day) BETWEEN ? AND ?"
        _ = arguments.append(contentsOf: [first, last])
    }

    private static func jsonArray(_ strings: [String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: strings)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
