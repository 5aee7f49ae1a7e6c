import GRDB
import GRDBSQLite

/// What the ranking function must know of one expression's phrases, handed to it as an SQLite
/// pointer that only it can read, and what it reports back: where each scored article's best
/// passage ends in its body.
///
/// It is built from the very ``CompiledMatch`` whose expression the statement runs, so every phrase
/// FTS5 numbers has its clause; the function refuses to score with a plan of another length.
final class RankPlan {
    /// The type SQLite checks the pointer against: a string that lives as long as the program.
    static var pointerType: UnsafePointer<CChar> {
        UnsafeRawPointer(typeName.utf8Start).assumingMemoryBound(to: CChar.self)
    }
    private static let typeName: StaticString = "akhbar_rank_plan"

    /// Per phrase, in FTS5's order: its clause, whether it is an exact form, how many articles have it.
    let clauseOfPhrase: [Int]
    let isExact: [Bool]
    let counts: [Int64]
    let clauseCount: Int
    /// Where the passage of each scored article's body with the most query words ends, as a token
    /// position (-1 when the body has none of them): the snippet builder need not read past it.
    /// FTS5 has just walked those positions to score the article; without the hint the snippet
    /// builder reads and analyzes to its 16 KB limit every body whose words never come together.
    private(set) var passageEnds: [(id: Int64, end: Int32)] = []

    init(_ match: CompiledMatch, counts: [String: Int64]) {
        clauseOfPhrase = match.phrases.map(\.clause)
        isExact = match.phrases.map(\.isExact)
        self.counts = match.phrases.map { counts[$0.text] ?? 0 }
        clauseCount = match.clauseCount
    }

    func record(_ id: Int64, _ end: Int32) {
        passageEnds.append((id, end))
    }

    /// Fetches `statement`'s rows with `self` bound as parameter `index` (a placeholder in
    /// `arguments`).
    func fetch(_ statement: Statement, arguments: StatementArguments, index: Int32) throws -> [Row] {
        try statement.setArguments(arguments)
        sqlite3_bind_pointer(
            statement.sqliteStatement, index, Unmanaged.passUnretained(self).toOpaque(), Self.pointerType, nil)
        // The statement is cached: it must not keep pointing at this object.
        defer { sqlite3_bind_null(statement.sqliteStatement, index) }
        return try withExtendedLifetime(self) { try Row.fetchAll(statement) }
    }
}
