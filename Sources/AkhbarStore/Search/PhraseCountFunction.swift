import GRDB
import GRDBSQLite

/// The FTS5 function `akhbar_phrase_counts(article_fts, sample)`: the number of articles matching
/// each phrase of the query, in the phrases' order, separated by spaces. A phrase with more than
/// `sample` articles stops at the next one and is written `n@rowid`, n = `sample` + 1 and the rowid of
/// that article, for the caller to scale up.
///
/// Run as `… WHERE article_fts MATCH 'p1 OR p2 OR …' LIMIT 1`, it counts a search's new phrases
/// in one statement. A statement of its own for each phrase cost about 20 µs even for a phrase in
/// no article, most of it opening the statement's full-text cursor, and a search has a dozen new
/// phrases or more. No row at all means that no phrase is in any article.
enum PhraseCountFunction {
    static let name = "akhbar_phrase_counts"

    /// The counting of one phrase, shared with FTS5's callback.
    private struct Tally {
        var hits: Int64 = 0
        var sample: Int64
        /// The rowid at which `sample` was passed; 0 when the phrase was counted to its end.
        var stoppedAt: Int64 = 0
    }

    static func register(on db: Database) {
        let api = UnsafeMutablePointer(mutating: FTS5.api(db))
        _ = api.pointee.xCreateFunction(
            api, name, nil,
            { api, fts, context, argumentCount, arguments in
                guard let api, let fts, let context else { return }
                let sample = argumentCount > 0 ? sqlite3_value_int64(arguments![0]) : Int64.max
                var counts: [String] = []
                for phrase in 0..<api.pointee.xPhraseCount(fts) {
                    var tally = Tally(sample: sample > 0 ? sample : Int64.max)
                    let status = api.pointee.xQueryPhrase(fts, phrase, &tally) { api, fts, pointer in
                        let tally = pointer!.assumingMemoryBound(to: Tally.self)
                        tally.pointee.hits += 1
                        guard tally.pointee.hits > tally.pointee.sample, let api, let fts else { return SQLITE_OK }
                        tally.pointee.stoppedAt = api.pointee.xRowid(fts)
                        // FTS5 ends the walk without an error.
                        return SQLITE_DONE
                    }
                    guard status == SQLITE_OK else {
                        sqlite3_result_error_code(context, status)
                        return
                    }
                    counts.append(tally.stoppedAt > 0 ? "\(tally.hits)@\(tally.stoppedAt)" : String(tally.hits))
                }
                // SQLite copies the text (SQLITE_TRANSIENT) before the Swift string goes.
                sqlite3_result_text(
                    context, counts.joined(separator: " "), -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            }, nil)
    }
}
