import Foundation
import GRDB
import GRDBSQLite

/// The FTS5 ranking function `akhbar_rank(article_fts, plan)`: BM25 over the clauses of a query
/// rather than over its phrases.
///
/// A query word is an OR of phrases: its exact forms (as typed, and with another proclitic), its
/// stem, other inflections (``MatchPhrase/isExact`` says which is which). FTS5's `bm25()` scores each
/// phrase on its own and adds them up, so a word counts two or three times over, once for each
/// form an article happens to share with the query. Here a word scores once for the positions where
/// any of its forms occurs, at the rarity of the articles having any form, plus ``exactWeight`` of
/// what its exact forms score on their own: the word itself ranks first, and a rare word still
/// tells a known article apart, without the stem's matches being counted again.
///
/// `plan` is a ``RankPlan`` bound as an SQLite pointer: which clause each phrase stands for, whether
/// it is an exact form, and how many articles have it. A statement without a plan, or with a plan for
/// another expression, fails rather than ranking by something else. Scores are negative, best first,
/// like `bm25()`: sort ascending.
enum RankFunction {
    static let name = "akhbar_rank"
    /// Column weights, in column order: title, body, outlet, author.
    static let columnWeights: [Double] = [8, 1, 2, 2]
    static let bodyColumn: Int32 = 1
    /// How much the exact forms' own score adds to a word's. The exact forms are the word as typed
    /// with any common proclitic (لمنطقتي for منطقتي), so an article with the very word outranks one
    /// with another inflection of it, and the rarity of the word itself, not only of its stem, tells a
    /// known article apart. Measured with `bench/search-quality` (full corpus, MRR@10 exact /
    /// inflected): 2 gives 0.812 / 0.787; the typed form alone as the exact form, weighted 0.5, gave
    /// 0.837 / 0.709: it rewarded the articles that have the inflection as typed, which an article
    /// written with another prefix lacks.
    static let exactWeight = 2.0
    static let k1 = 1.2
    static let b = 0.75

    /// Registers the function on a connection; call it from `Configuration.prepareDatabase`. With
    /// `lengths`, articles' lengths come from memory rather than from FTS5's `docsize` table.
    static func register(on db: Database, lengths: DocumentLengths?) {
        let api = UnsafeMutablePointer(mutating: FTS5.api(db))
        // The connection owns a reference to the lengths until it drops the function.
        let userData = lengths.map { Unmanaged.passRetained($0).toOpaque() }
        _ = api.pointee.xCreateFunction(
            api, name, userData,
            { api, fts, context, argumentCount, arguments in
                guard let api, let fts, let context else { return }
                let result = RankFunction.score(api: api, fts: fts, argumentCount: argumentCount, arguments: arguments)
                switch result {
                case .success(let score): sqlite3_result_double(context, score)
                case .failure(let failure):
                    if let message = failure.message { sqlite3_result_error(context, message, -1) }
                    sqlite3_result_error_code(context, failure.code)
                }
            },
            { userData in
                if let userData { Unmanaged<DocumentLengths>.fromOpaque(userData).release() }
            })
    }

    /// An SQLite result code from the FTS5 API, passed on as the function's error.
    struct Failure: Error {
        var code: Int32
        var message: String?
    }

    /// What one query needs for every row: computed on the first row, kept by FTS5 as aux data.
    /// The per-row tallies live in plain buffers: this runs once for every matching row.
    final class QueryStatistics {
        let phraseCount: Int
        let clauseCount: Int
        let clauseOfPhrase: UnsafeMutablePointer<Int>
        let isExact: UnsafeMutablePointer<Bool>
        /// Per clause: the rarity of the articles having any of its forms.
        let idf: UnsafeMutablePointer<Double>
        /// Per clause: the rarity of its exact forms.
        let exactIDF: UnsafeMutablePointer<Double>
        let averageLength: Double
        let frequency: UnsafeMutablePointer<Double>
        let exactFrequency: UnsafeMutablePointer<Double>
        let lastColumn: UnsafeMutablePointer<Int32>
        let lastOffset: UnsafeMutablePointer<Int32>
        let exactAtLast: UnsafeMutablePointer<Bool>
        /// Articles' lengths by id, as far as they are known in memory (see ``DocumentLengths``).
        let lengths: [Int32]
        let plan: RankPlan
        /// Per clause: its instances in the passage being looked at.
        let inPassage: UnsafeMutablePointer<Int32>
        /// The body's instances, position and clause, for one row.
        var bodyOffsets: UnsafeMutablePointer<Int32>
        var bodyClauses: UnsafeMutablePointer<Int>
        var bodyCapacity = 0

        init(
            clauseOfPhrase: [Int], isExact: [Bool], idf: [Double], exactIDF: [Double], averageLength: Double,
            lengths: [Int32],
            plan: RankPlan
        ) {
            phraseCount = clauseOfPhrase.count
            clauseCount = idf.count
            self.clauseOfPhrase = .allocate(capacity: phraseCount)
            self.clauseOfPhrase.initialize(from: clauseOfPhrase, count: phraseCount)
            self.isExact = .allocate(capacity: phraseCount)
            self.isExact.initialize(from: isExact, count: phraseCount)
            self.idf = .allocate(capacity: clauseCount)
            self.idf.initialize(from: idf, count: clauseCount)
            self.exactIDF = .allocate(capacity: clauseCount)
            self.exactIDF.initialize(from: exactIDF, count: clauseCount)
            self.averageLength = averageLength
            self.lengths = lengths
            self.plan = plan
            inPassage = .allocate(capacity: clauseCount)
            bodyOffsets = .allocate(capacity: 0)
            bodyClauses = .allocate(capacity: 0)
            frequency = .allocate(capacity: clauseCount)
            exactFrequency = .allocate(capacity: clauseCount)
            lastColumn = .allocate(capacity: clauseCount)
            lastOffset = .allocate(capacity: clauseCount)
            exactAtLast = .allocate(capacity: clauseCount)
        }

        func reserveBody(_ count: Int) {
            guard count > bodyCapacity else { return }
            bodyOffsets.deallocate()
            bodyClauses.deallocate()
            bodyCapacity = max(count, 2 * bodyCapacity)
            bodyOffsets = .allocate(capacity: bodyCapacity)
            bodyClauses = .allocate(capacity: bodyCapacity)
        }

        /// The position of the last instance of the first passage of ``SnippetBuilder/width`` tokens
        /// with the most distinct clauses among the body's first `instances`, or -1 for none.
        func bestPassageEnd(instances: Int) -> Int32 {
            inPassage.update(repeating: 0, count: clauseCount)
            var first = 0
            var distinct = 0
            var best = 0
            var end: Int32 = -1
            for index in 0..<instances {
                let offset = bodyOffsets[index]
                if inPassage[bodyClauses[index]] == 0 { distinct += 1 }
                inPassage[bodyClauses[index]] += 1
                while bodyOffsets[first] <= offset - Int32(SnippetBuilder.width) {
                    inPassage[bodyClauses[first]] -= 1
                    if inPassage[bodyClauses[first]] == 0 { distinct -= 1 }
                    first += 1
                }
                if distinct > best {
                    best = distinct
                    end = offset
                }
            }
            return end
        }

        deinit {
            for pointer in [
                UnsafeMutableRawPointer(clauseOfPhrase), UnsafeMutableRawPointer(isExact), UnsafeMutableRawPointer(idf),
                UnsafeMutableRawPointer(exactIDF), UnsafeMutableRawPointer(frequency),
                UnsafeMutableRawPointer(exactFrequency),
                UnsafeMutableRawPointer(lastColumn), UnsafeMutableRawPointer(lastOffset),
                UnsafeMutableRawPointer(exactAtLast),
                UnsafeMutableRawPointer(inPassage), UnsafeMutableRawPointer(bodyOffsets),
                UnsafeMutableRawPointer(bodyClauses),
            ] {
                pointer.deallocate()
            }
        }
    }

    private static func score(
        api: UnsafePointer<Fts5ExtensionApi>, fts: OpaquePointer, argumentCount: Int32,
        arguments: UnsafeMutablePointer<OpaquePointer?>?
    ) -> Result<Double, Failure> {
        let statistics: QueryStatistics
        if let existing = api.pointee.xGetAuxdata(fts, 0) {
            statistics = Unmanaged<QueryStatistics>.fromOpaque(existing).takeUnretainedValue()
        } else {
            let pointer = argumentCount > 0 ? sqlite3_value_pointer(arguments?[0], RankPlan.pointerType) : nil
            guard let pointer else {
                return .failure(Failure(code: SQLITE_MISUSE, message: "\(name): no rank plan bound"))
            }
            switch makeStatistics(
                api: api, fts: fts, plan: Unmanaged<RankPlan>.fromOpaque(pointer).takeUnretainedValue())
            {
            case .success(let made): statistics = made
            case .failure(let failure): return .failure(failure)
            }
            let retained = Unmanaged.passRetained(statistics).toOpaque()
            let status = api.pointee.xSetAuxdata(fts, retained) { pointer in
                if let pointer { Unmanaged<QueryStatistics>.fromOpaque(pointer).release() }
            }
            if status != SQLITE_OK { return .failure(Failure(code: status)) }
        }

        var instanceCount: Int32 = 0
        var status = api.pointee.xInstCount(fts, &instanceCount)
        if status != SQLITE_OK { return .failure(Failure(code: status)) }
        let clauses = statistics.clauseCount
        let frequency = statistics.frequency
        let exactFrequency = statistics.exactFrequency
        let lastColumn = statistics.lastColumn
        let lastOffset = statistics.lastOffset
        let exactAtLast = statistics.exactAtLast
        let weights = columnWeights
        frequency.update(repeating: 0, count: clauses)
        exactFrequency.update(repeating: 0, count: clauses)
        lastColumn.update(repeating: -1, count: clauses)
        statistics.reserveBody(Int(instanceCount))
        var bodyCount = 0
        for instance in 0..<instanceCount {
            var phrase: Int32 = 0
            var column: Int32 = 0
            var offset: Int32 = 0
            status = api.pointee.xInst(fts, instance, &phrase, &column, &offset)
            if status != SQLITE_OK { return .failure(Failure(code: status)) }
            guard phrase >= 0, Int(phrase) < statistics.phraseCount, column >= 0, Int(column) < weights.count else {
                continue
            }
            let clause = statistics.clauseOfPhrase[Int(phrase)]
            let weight = weights[Int(column)]
            if column == bodyColumn {
                statistics.bodyOffsets[bodyCount] = offset
                statistics.bodyClauses[bodyCount] = clause
                bodyCount += 1
            }
            // Instances come in position order, so a word's stem and exact form at one position are
            // neighbours: the position counts once for the word, and once for its exact forms.
            if lastColumn[clause] != column || lastOffset[clause] != offset {
                frequency[clause] += weight
                lastColumn[clause] = column
                lastOffset[clause] = offset
                exactAtLast[clause] = false
            }
            if statistics.isExact[Int(phrase)], !exactAtLast[clause] {
                exactFrequency[clause] += weight
                exactAtLast[clause] = true
            }
        }
        var length: Int32 = 0
        let rowid = api.pointee.xRowid(fts)
        statistics.plan.record(rowid, statistics.bestPassageEnd(instances: bodyCount))
        if rowid > 0, rowid < statistics.lengths.count, statistics.lengths[Int(rowid)] > 0 {
            length = statistics.lengths[Int(rowid)]
        } else {
            status = api.pointee.xColumnSize(fts, -1, &length)
            if status != SQLITE_OK { return .failure(Failure(code: status)) }
        }
        let norm = k1 * (1 - b + b * Double(length) / statistics.averageLength)
        var score = 0.0
        for clause in 0..<clauses {
            let count = frequency[clause]
            guard count > 0 else { continue }
            score += statistics.idf[clause] * count * (k1 + 1) / (count + norm)
            let exact = exactFrequency[clause]
            if exact > 0 { score += exactWeight * statistics.exactIDF[clause] * exact * (k1 + 1) / (exact + norm) }
        }
        return .success(-score)
    }

    private static func makeStatistics(api: UnsafePointer<Fts5ExtensionApi>, fts: OpaquePointer, plan: RankPlan)
        -> Result<QueryStatistics, Failure>
    {
        let phraseCount = Int(api.pointee.xPhraseCount(fts))
        // The plan was made for another expression: ranking by it would score the wrong words.
        guard plan.clauseOfPhrase.count == phraseCount,
            plan.clauseOfPhrase.allSatisfy({ $0 >= 0 && $0 < plan.clauseCount })
        else {
            return .failure(
                Failure(
                    code: SQLITE_MISMATCH,
                    message: "\(name): the plan has \(plan.clauseOfPhrase.count) phrases, the expression \(phraseCount)"
                ))
        }
        var rows: Int64 = 0
        var tokens: Int64 = 0
        var status = api.pointee.xRowCount(fts, &rows)
        if status == SQLITE_OK { status = api.pointee.xColumnTotalSize(fts, -1, &tokens) }
        if status != SQLITE_OK { return .failure(Failure(code: status)) }
        let averageLength = rows > 0 ? max(Double(tokens) / Double(rows), 1) : 1

        // A word is as rare as its commonest form, near enough the articles having any of its forms;
        // its exact forms' own rarity weighs their share.
        var matching = Array(repeating: Int64(0), count: plan.clauseCount)
        var exactMatching = Array(repeating: Int64(0), count: plan.clauseCount)
        for phrase in 0..<phraseCount {
            let clause = plan.clauseOfPhrase[phrase]
            matching[clause] = max(matching[clause], plan.counts[phrase])
            if plan.isExact[phrase] { exactMatching[clause] = max(exactMatching[clause], plan.counts[phrase]) }
        }
        func idf(_ hits: Int64) -> Double { max(log((Double(rows) - Double(hits) + 0.5) / (Double(hits) + 0.5)), 1e-6) }
        return .success(
            QueryStatistics(
                clauseOfPhrase: plan.clauseOfPhrase, isExact: plan.isExact, idf: matching.map(idf),
                exactIDF: exactMatching.map(idf),
                averageLength: averageLength,
                lengths: api.pointee.xUserData(fts).map {
                    Unmanaged<DocumentLengths>.fromOpaque($0).takeUnretainedValue().snapshot()
                } ?? [],
                plan: plan))
    }
}
