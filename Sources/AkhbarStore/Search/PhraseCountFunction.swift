import GRDB
import GRDBSQLite

/// The FTS5 function `akhbar_phrase_counts(article_fts)`: the number of articles matching each
/// phrase of the query, as decimal numbers separated by spaces, in the phrases' order.
///
/// Run as `… WHERE article_fts MATCH 'p1 OR p2 OR …' LIMIT 1`, it counts a search's new phrases
/// in one statement. A statement of its own for each phrase cost about 20 µs even for a phrase in
/// no article, most of it opening the statement's full-text cursor, and a search has a dozen new
/// phrases or more. No row at all means that no phrase is in any article.
enum PhraseCountFunction {
    static let name = "akhbar_phrase_counts"

    static func register(on db: Database) {
        let api = UnsafeMutablePointer(mutating: FTS5.api(db))
        _ = api.pointee.xCreateFunction(
            api, name, nil,
            { api, fts, context, _, _ in
                guard let api, let fts, let context else { return }
                var counts: [String] = []
                for phrase in 0..<api.pointee.xPhraseCount(fts) {
                    var hits: Int64 = 0
                    let status = api.pointee.xQueryPhrase(fts, phrase, &hits) { _, _, counter in
                        counter?.assumingMemoryBound(to: Int64.self).pointee += 1
                        return SQLITE_OK
                    }
                    guard status == SQLITE_OK else {
                        sqlite3_result_error_code(context, status)
                        return
                    }
                    counts.append(String(hits))
                }
                // SQLite copies the text (SQLITE_TRANSIENT) before the Swift string goes.
                sqlite3_result_text(
                    context, counts.joined(separator: " "), -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            }, nil)
    }
}
