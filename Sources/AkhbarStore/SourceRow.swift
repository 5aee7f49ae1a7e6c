import AkhbarProtocol
import Foundation
import GRDB

/// One source of an article as stored: where it was found, how its bytes are kept and its own
/// metadata where that differs from the article's.
struct SourceRow {
    var path: String
    var position: Int
    var gone: Bool
    var firstSeen: Double
    var rawForm: RawForm?
    var rawFile: Int64?
    var rawFileSize: Int?
    /// Outlet, author, date and its precision, when the source's own differ from the article's.
    var own: (outlet: String?, author: String?, date: String?, datePrecision: String?)?

    /// An article's sources in the order they are shown and numbered (from 1): oldest first.
    static func fetchAll(_ db: Database, article id: Int64) throws -> [SourceRow] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT s.path, s.position, s.gone, s.firstSeen, s.rawForm, s.rawFile, f.size,
                        m.path IS NOT NULL, m.outlet, m.author, m.date, m.datePrecision
                    FROM source s
                    LEFT JOIN source_meta m ON m.path = s.path AND m.position = s.position
                    LEFT JOIN raw_file f ON f.id = s.rawFile
                    WHERE s.articleId = ? ORDER BY s.firstSeen, s.path, s.position
                    """), arguments: [id]
        ).map { row in
            SourceRow(
                path: row[0], position: row[1], gone: row[2], firstSeen: row[3],
                rawForm: (row[4] as Int?).map(RawForm.init(rawValue:)), rawFile: row[5], rawFileSize: row[6],
                own: row[7] ? (row[8], row[9], row[10], row[11]) : nil)
        }
    }

    /// The bytes the file was dropped with, given its article's original; nil when they were not
    /// kept (sources recorded before the store kept them) or a kept file is damaged.
    func bytes(original: String, in db: Database) throws -> [UInt8]? {
        if let rawForm { return rawForm.bytes(of: original) }
        guard let rawFile,
            let row = try Row.fetchOne(
                db, sql: "SELECT bytes, compressed FROM raw_file WHERE id = ?", arguments: [rawFile])
        else { return nil }
        return RawFile.bytes(stored: row[0], compressed: row[1])
    }

    /// What a client is told of it; `article` is the article's row, whose metadata the source shares
    /// unless it has its own.
    func info(article: Row, original: String) -> SourceInfo {
        SourceInfo(
            path: path, position: position, gone: gone, firstSeen: ArticleStore.timestamp(firstSeen),
            outlet: own.map(\.outlet) ?? article["outlet"], author: own.map(\.author) ?? article["author"],
            date: own.map(\.date) ?? article["date"],
            datePrecision: own.map(\.datePrecision) ?? article["datePrecision"],
            size: rawFileSize ?? rawForm.flatMap { $0.bytes(of: original)?.count })
    }
}

extension ArticleStore {
    /// Why a source's dropped bytes cannot be given.
    public enum DroppedFileError: Error, Sendable, Equatable {
        case articleNotFound(Int64)
        /// The article has fewer sources than the number asked for.
        case sourceNotFound(id: Int64, source: Int, sources: Int)
        /// The source was ingested before the store kept dropped bytes.
        case notKept(id: Int64, source: Int)
    }

    /// Source `number` (from 1, in the order ``article(id:)`` lists them) of an article, with the
    /// bytes its file was dropped with.
    public func droppedFile(id: Int64, source number: Int) async throws -> (source: SourceInfo, bytes: [UInt8]) {
        try await pool.read { db in
            guard let article = try Row.fetchOne(db, sql: "SELECT * FROM article WHERE id = ?", arguments: [id]) else {
                throw DroppedFileError.articleNotFound(id)
            }
            let sources = try SourceRow.fetchAll(db, article: id)
            guard number >= 1, number <= sources.count else {
                throw DroppedFileError.sourceNotFound(id: id, source: number, sources: sources.count)
            }
            let original = StoredText.text(from: article["original"])
            let source = sources[number - 1]
            guard let bytes = try source.bytes(original: original, in: db) else {
                throw DroppedFileError.notKept(id: id, source: number)
            }
            return (source.info(article: article, original: original), bytes)
        }
    }
}
