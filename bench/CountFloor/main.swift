// The SQL floor of `bench/counts`: what SQLite alone takes to group the same articles that akhbard's
// Count and Terms look at, on the same store, in the same run. Read-only, beside a running akhbard.
//
//   count-floor STORE WORD REPS
//
// For the articles the full-text index finds for WORD (its written form or its stem, the two terms
// the index keeps for it) and for every article: a plain `GROUP BY` of publication days and of
// outlets over the article table; and for Terms, reading the title and body of an even sample of
// 5,000 of WORD's articles. Prints one JSON object: milliseconds per repetition for each, and the
// number of rows each grouped.
import AkhbarStore
import ArabicText
import Foundation
import GRDB

let arguments = CommandLine.arguments
guard arguments.count == 4, let reps = Int(arguments[3]), reps > 0 else {
    FileHandle.standardError.write(Data("usage: count-floor STORE WORD REPS\n".utf8))
    exit(2)
}
var configuration = Configuration()
configuration.readonly = true
configuration.prepareDatabase { db in FullTextIndex.register(on: db) }
let queue = try DatabaseQueue(path: arguments[1], configuration: configuration)
let analyzer = ArabicAnalyzer()
let word = analyzer.normalize(arguments[2])
let expression = "\"\(word)\" OR \"\(ArabicAnalyzer.stemMarker)\(analyzer.stem(word))\""
let matching = "SELECT rowid FROM article_fts WHERE article_fts MATCH ?"
let day = "CASE WHEN length(date) >= 10 THEN substr(date, 1, 10) END"

func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
}

let statements: [(name: String, sql: String, arguments: StatementArguments)] = [
    ("empty-day", "SELECT \(day), count(*) FROM article GROUP BY 1", []),
    ("empty-outlet", "SELECT outlet, count(*) FROM article GROUP BY 1", []),
    ("query-day", "SELECT \(day), count(*) FROM article WHERE id IN (\(matching)) GROUP BY 1", [expression]),
    ("query-outlet", "SELECT outlet, count(*) FROM article WHERE id IN (\(matching)) GROUP BY 1", [expression]),
]
var times: [String: [Double]] = [:]
var rows: [String: Int] = [:]
try queue.read { db in
    let ids = try Int64.fetchAll(db, sql: matching, arguments: [expression])
    let sample = ids.count > 5_000 ? (0..<5_000).map { ids[$0 * ids.count / 5_000] } : ids
    let list = "[" + sample.map(String.init).joined(separator: ",") + "]"
    for _ in 0..<reps {
        for statement in statements {
            var grouped = 0
            times[statement.name, default: []].append(
                try milliseconds {
                    for row in try Row.fetchAll(db, sql: statement.sql, arguments: statement.arguments) {
                        grouped += row[1] as Int
                    }
                })
            rows[statement.name] = grouped
        }
        var read = 0
        times["terms-read", default: []].append(
            try milliseconds {
                read = try String.fetchAll(
                    db, sql: "SELECT title || char(10) || body FROM article WHERE id IN (SELECT value FROM json_each(?))",
                    arguments: [list]
                ).count
            })
        rows["terms-read"] = read
    }
}
let output: [String: Any] = ["expression": expression, "ms": times, "rows": rows]
FileHandle.standardOutput.write(try JSONSerialization.data(withJSONObject: output, options: [.sortedKeys]))
FileHandle.standardOutput.write(Data("\n".utf8))
