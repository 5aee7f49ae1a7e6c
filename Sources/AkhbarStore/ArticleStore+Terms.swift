import AkhbarProtocol
import ArabicText
import Foundation
import GRDB
import Synchronization

extension ArticleStore {
    /// The words and two-word phrases that the articles a query matches use more than the rest of
    /// the archive does, most significant first.
    ///
    /// Matching is ``count(_:)``'s. At most ``AkhbarProtocol/TermsReply/sampleSize`` of the matching
    /// articles are read, evenly spread over them. A term counts when it is in at least 3 of them
    /// (2 in fewer than 50) and its over-representation is significant at the 0.1 % level
    /// (G² ≥ 10.83). Terms are ranked against an even sample of the archive (``ArchiveSample``);
    /// the best are then counted exactly in the whole archive and ranked again.
    public func terms(_ parameters: TermsParameters) async throws -> TermsReply {
        try await terms(parameters, sampleSize: TermsReply.sampleSize)
    }

    /// ``terms(_:)`` reading at most `sampleSize` matching articles.
    func terms(_ parameters: TermsParameters, sampleSize: Int) async throws -> TermsReply {
        let plan = try selectionPlan(parameters.query)
        let limit = (parameters.limit ?? 30).clamped(to: TermsParameters.limits)
        let (archive, matched, sampled) = try await pool.read { [plan] db in
            let archive = try Self.archiveSize(db)
            guard
                let selection = try selection(
                    plan, since: parameters.since, until: parameters.until, outlet: parameters.outlet,
                    author: parameters.author, in: db)
            else { return (archive, 0, [Int64]()) }
            let ids = try selection.ids(db)
            return (archive, ids.count, Self.evenSample(ids, size: sampleSize))
        }
        let rest = Double(archive) - Double(matched)
        guard matched > 0, rest > 0 else {
            return TermsReply(terms: [], matched: matched, analyzed: 0, archive: Int(archive))
        }
        let analyzer = analyzer
        let phrases = parameters.phrases ?? true
        let pool = pool
        // Each part reads its own articles' text, in a reader of its own, and counts it.
        let parts = try await Self.inParallel(sampled.count) { range in
            let texts = try pool.read { db in try Self.texts(db, Array(sampled[range])) }
            var tally = TermTally(pairs: phrases, keepsForms: true)
            for text in texts { tally.add(text, analyzer: analyzer) }
            return (tally: tally, texts: texts[...])
        }
        var matching = parts.dropFirst().reduce(into: parts[0].tally) { $0.merge($1.tally) }
        let minimum = matching.articleCount < 50 ? 2 : 3
        matching.finishPairs(minimum: Int32(minimum))
        let sample = try await archiveSample.tally(archive: archive) { ids in
            let parts = try await Self.inParallel(ids.count) { range in
                let texts = try pool.read { db in try Self.texts(db, Array(ids[range])) }
                var tally = TermTally(pairs: true, keepsForms: false)
                for text in texts { tally.add(text, analyzer: analyzer) }
                return tally
            }
            return parts.dropFirst().reduce(into: parts[0]) { $0.merge($1) }
        }
        let analyzed = Double(matching.articleCount)
        // Matching articles that have a term, estimated from those read.
        let scale = Double(matched) / analyzed
        let sampleScale = Double(archive) / Double(max(sample.articleCount, 1))
        @Sendable func score(_ count: Int, archiveCount: Double) -> Double {
            let elsewhere = max(0, archiveCount - Double(count) * scale)
            return LogLikelihood.overRepresentation(Double(count), of: analyzed, against: elsewhere, of: rest)
        }
        let found = matching.terms(minimum: minimum)
        let sampleCounts = try await Self.inParallel(found.count, minimumPart: 4096) { [matching] range in
            matching.articles(of: found[range].lazy.map(\.term), in: sample)
        }
        var estimated: [(term: TermTally.Term, articles: Int, score: Double)] = []
        for ((term, count), sampled) in zip(found, sampleCounts.joined()) {
            let value = score(count, archiveCount: Double(sampled) * sampleScale)
            if value >= Self.significance { estimated.append((term, count, value)) }
        }
        estimated.sort { $0.score > $1.score }
        // The sample's estimate of a word is off by a few percent, so some terms just below the
        // last place are counted too, to take a place an estimate had wrongly given away.
        let candidates = estimated.prefix(limit + limit / 2 + 10).map {
            (term: $0.term, key: matching.key(of: $0.term), articles: $0.articles)
        }
        let exact = try await exactCounts(
            of: candidates.map { $0.key.expression(analyzer: analyzer) }, archive: archive)
        var ranked: [(term: TermTally.Term, key: TermKey, articles: Int, archive: Int, score: Double)] = []
        for (candidate, found) in zip(candidates, exact) {
            let value = score(candidate.articles, archiveCount: Double(found))
            if value >= Self.significance {
                ranked.append((candidate.term, candidate.key, candidate.articles, found, value))
            }
        }
        // Ties (terms the archive has only in matching articles) go to the more used, then by text,
        // so that a reply does not depend on the order words were first seen.
        ranked.sort {
            ($0.score, $0.articles, $0.archive, $1.key.text) > ($1.score, $1.articles, $1.archive, $0.key.text)
        }
        ranked = Array(ranked.prefix(limit))
        let forms = try await Self.commonForms(of: ranked.map(\.term), of: matching, in: parts)
        let terms = ranked.map { term in
            SignificantTerm(
                text: forms[term.term] ?? term.key.text, words: term.key.words.count, count: term.articles,
                archive: term.archive, score: term.score)
        }
        return TermsReply(terms: terms, matched: matched, analyzed: matching.articleCount, archive: Int(archive))
    }

    /// The articles of the archive that match each FTS5 expression: remembered ones (kept with
    /// search's phrase counts, and forgotten with them), then the rest counted in two readers at once.
    private func exactCounts(of expressions: [String], archive: Int64) async throws -> [Int] {
        let known = phraseCounts.known(expressions, archive: archive).map { $0.map(Int.init) }
        let missing = Array(Set(zip(expressions, known).compactMap { $1 == nil ? $0 : nil }))
        let half = missing.count / 2
        @Sendable func count(_ expressions: ArraySlice<String>) async throws -> [String: Int] {
            guard !expressions.isEmpty else { return [:] }
            return try await pool.read { db in
                let statement = try db.cachedStatement(
                    sql: "SELECT count(*) FROM article_fts WHERE article_fts MATCH ?")
                var counts: [String: Int] = [:]
                for expression in expressions {
                    counts[expression] = try Int.fetchOne(statement, arguments: [expression]) ?? 0
                }
                return counts
            }
        }
        async let first = count(missing[..<half])
        let second = try await count(missing[half...])
        let counted = try await first.merging(second) { one, _ in one }
        phraseCounts.remember(counted.mapValues(Int64.init))
        return zip(expressions, known).map { expression, known in known ?? counted[expression] ?? 0 }
    }

    /// G² at which a difference has less than a 0.1 % chance of being luck (χ², one degree of freedom).
    static let significance = 10.83

    /// `size` of `ids` spread evenly over them, or all of them.
    static func evenSample(_ ids: [Int64], size: Int) -> [Int64] {
        guard ids.count > size else { return ids }
        return (0..<size).map { ids[$0 * ids.count / size] }
    }

    /// The title and body of each article, a line between them, as UTF-8 bytes: the store's text
    /// is valid UTF-8, and a `String` would check every byte of it again.
    private static func texts(_ db: Database, _ ids: [Int64]) throws -> [Data] {
        try Data.fetchAll(
            db,
            sql: """
                SELECT CAST(title || char(10) || body AS BLOB) FROM article
                WHERE id IN (SELECT value FROM json_each(?))
                """,
            arguments: [jsonArray(ids)])
    }

    /// The form the matching articles most often write each of `wanted` in; a tie goes to the
    /// shortest.
    private static func commonForms(
        of wanted: [TermTally.Term], of matching: TermTally, in parts: [(tally: TermTally, texts: ArraySlice<Data>)]
    ) async throws -> [TermTally.Term: String] {
        let found = try await inParallel(parts.count, minimumPart: 1) { range in
            range.map { parts[$0].tally.forms(of: wanted, from: matching, texts: parts[$0].texts) }
        }
        var forms: [TermTally.Term: [String: Int]] = [:]
        for part in found.joined() {
            forms.merge(part) { $0.merging($1, uniquingKeysWith: +) }
        }
        return forms.mapValues { counts in
            counts.max { a, b in
                (a.value, b.key.unicodeScalars.count, b.key) < (b.value, a.key.unicodeScalars.count, a.key)
            }?.key ?? ""
        }
    }

    /// `work` over a part of `0..<count` for each processor (parts of at least `minimumPart`), run
    /// off the cooperative pool: reading and analysing thousands of articles would otherwise hold its
    /// threads from every other request.
    static func inParallel<Part: Sendable>(
        _ count: Int, minimumPart: Int = 64, _ work: @escaping @Sendable (Range<Int>) throws -> Part
    ) async throws -> [Part] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / minimumPart))
                let results = Mutex<[Int: Result<Part, any Error>]>([:])
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let result = Result { try work((part * count / parts)..<((part + 1) * count / parts)) }
                    results.withLock { $0[part] = result }
                }
                continuation.resume(
                    with: Result { try results.withLock { results in try (0..<parts).map { try results[$0]!.get() } } })
            }
        }
    }
}
