import GRDB
import Synchronization

/// How many articles each search phrase matches, remembered between searches.
///
/// Ranking needs each word's rarity, and counting a common word's articles means reading its whole
/// posting list: on a large archive that was a third of a search, and on a million articles the first
/// search of a common word took up to 100 ms. Rarity barely moves as the archive grows, so counts are
/// kept until it has grown by a hundredth, and at most ``capacity`` of them. A phrase in more than
/// ``sample`` articles is counted that far and scaled to the archive (articles are numbered as they
/// arrive, so its first `sample` + 1 matches cover a known share of the ids): such a word weighs little
/// in a ranking, where a few percent either way changes nothing, and the estimate costs a bounded read.
/// A count of zero is never kept: the search leaves such a phrase out of its expression, which is
/// right only for the snapshot it was counted in, and counting a phrase no article has is one lookup.
final class PhraseCounts: Sendable {
    static let capacity = 20_000

    /// Matches counted before a phrase's count is estimated instead.
    let sample: Int64

    private struct State {
        var counts: [String: Int64] = [:]
        /// Counts scaled from a sample, for ranking only: `Terms` reports exact counts.
        var estimates: [String: Int64] = [:]
        /// The archive's size when the counts were taken.
        var articles: Int64 = 0
    }

    private let state = Mutex(State())

    init(sample: Int64 = 20_000) {
        self.sample = sample
    }

    /// The number of articles matching each FTS5 phrase (as written in a MATCH expression), and the
    /// newest article's id; estimated for a phrase in more than ``sample`` articles. A zero is exact for
    /// the transaction `db` is in. `zeros` holds the phrases already found in no article in that
    /// transaction: a relaxed expression repeats every word, and a search asks again for the relaxed
    /// one after the strict one.
    func counts(_ db: Database, phrases: [String], zeros: inout Set<String>) throws -> (counts: [Int64], newest: Int64)
    {
        let articles = try ArticleStore.archiveSize(db)
        var known = self.known(phrases, archive: articles, estimates: true)
        // Each new phrase once, all in one statement (see PhraseCountFunction).
        var unknown: [String] = []
        for (index, phrase) in phrases.enumerated() where known[index] == nil {
            if zeros.contains(phrase) {
                known[index] = 0
            } else if !unknown.contains(phrase) {
                unknown.append(phrase)
            }
        }
        guard !unknown.isEmpty else { return (known.map { $0 ?? 0 }, articles) }
        let found = try String.fetchOne(
            db.cachedStatement(
                sql:
                    "SELECT \(PhraseCountFunction.name)(article_fts, ?) FROM article_fts WHERE article_fts MATCH ? LIMIT 1"
            ),
            arguments: [sample, unknown.joined(separator: " OR ")])
        let counted =
            found.map { $0.split(separator: " ").map { count(from: $0, archive: articles) } }
            ?? Array(repeating: (value: Int64(0), exact: true), count: unknown.count)
        // FTS5 numbers every phrase of the expression, even one of no terms (a test holds it to that):
        // were it ever to skip one, the counts would belong to the wrong phrases.
        guard counted.count == unknown.count else {
            throw DatabaseError(
                resultCode: .SQLITE_INTERNAL, message: "\(counted.count) phrase counts for \(unknown.count) phrases")
        }
        var exact: [String: Int64] = [:]
        var estimated: [String: Int64] = [:]
        for (phrase, count) in zip(unknown, counted) {
            if count.exact { exact[phrase] = count.value } else { estimated[phrase] = count.value }
        }
        remember(exact, estimated: estimated)
        for (phrase, count) in exact where count == 0 { zeros.insert(phrase) }
        for index in phrases.indices where known[index] == nil {
            known[index] = exact[phrases[index]] ?? estimated[phrases[index]]
        }
        return (known.map { $0 ?? 0 }, articles)
    }

    /// A count as ``PhraseCountFunction`` writes it: `n`, or `n@rowid` when it stopped at the n-th
    /// match (one past the sample), whose share of the ids scales it to the archive.
    private func count(from text: Substring, archive articles: Int64) -> (value: Int64, exact: Bool) {
        let parts = text.split(separator: "@")
        let hits = Int64(parts[0]) ?? 0
        guard parts.count == 2, let rowid = Int64(parts[1]), rowid > 0 else { return (hits, true) }
        return (max(hits, Int64(Double(hits) * Double(articles) / Double(rowid))), false)
    }

    /// The remembered exact counts of `expressions` (nil where none is) for an archive of `articles`:
    /// those taken before it grew by a hundredth are forgotten first. Any FTS5 expression may be
    /// remembered: `Terms` keeps the exact archive counts of the terms it lists here too.
    func known(_ expressions: [String], archive articles: Int64) -> [Int64?] {
        known(expressions, archive: articles, estimates: false)
    }

    private func known(_ expressions: [String], archive articles: Int64, estimates: Bool) -> [Int64?] {
        state.withLock { state in
            if articles > state.articles + state.articles / 100 || articles < state.articles
                || state.counts.count + state.estimates.count > Self.capacity
            {
                state = State(articles: articles)
            }
            return expressions.map { state.counts[$0] ?? (estimates ? state.estimates[$0] : nil) }
        }
    }

    /// Remembers counts taken in the archive ``known(_:archive:)`` was last asked about; zeros are
    /// left out.
    func remember(_ counts: [String: Int64], estimated: [String: Int64] = [:]) {
        state.withLock { state in
            for (expression, count) in counts where count > 0 {
                state.counts[expression] = count
                state.estimates[expression] = nil
            }
            for (expression, count) in estimated where state.counts[expression] == nil {
                state.estimates[expression] = count
            }
        }
    }
}
