import AkhbarProtocol
import ArabicText
import Articles
import Foundation
import GRDB

extension ArticleStore {
    /// How many articles match a query, grouped by period, outlet, author or place.
    ///
    /// Matching is search's without partial matches (every word in some form), so a total equals
    /// the number of articles `Search` with `partial: false` finds without a limit.
    public func count(_ parameters: CountParameters) async throws -> CountReply {
        let plan = try selectionPlan(parameters.query)
        let limit = (parameters.limit ?? 20).clamped(to: CountParameters.limits)
        return try await pool.read { [plan] db in
            guard
                let selection = try selection(
                    plan, since: parameters.since, until: parameters.until, outlet: parameters.outlet,
                    author: parameters.author, in: db)
            else {
                return CountReply(buckets: [], total: 0, stories: 0, undated: 0, others: 0)
            }
            let counted =
                try facetCount(parameters, plan: plan, selection: selection, in: db)
                ?? sqlCount(parameters, selection: selection, in: db)
            return Self.reply(counted, parameters: parameters, limit: limit)
        }
    }

    /// Buckets by key (nil: articles without one), with every matching article and story.
    struct Counted {
        var buckets: [String?: CountBucket] = [:]
        var total = 0
        var stories = 0
    }

    /// The reply: periods filled and in order, other buckets largest first up to `limit`.
    private static func reply(_ counted: Counted, parameters: CountParameters, limit: Int) -> CountReply {
        var buckets = Array(counted.buckets.values)
        if parameters.by.isPeriod {
            let undated = buckets.first { $0.key == nil }?.articles ?? 0
            buckets = filled(
                buckets.filter { $0.key != nil }, by: parameters.by, since: parameters.since, until: parameters.until)
            return CountReply(
                buckets: buckets, total: counted.total, stories: counted.stories, undated: undated, others: 0)
        }
        buckets.sort { ($0.articles, $1.key ?? "") > ($1.articles, $0.key ?? "") }
        let others = buckets.dropFirst(limit).reduce(0) { $0 + $1.articles }
        return CountReply(
            buckets: Array(buckets.prefix(limit)), total: counted.total, stories: counted.stories, undated: 0,
            others: others)
    }

    /// The count in SQL, one pass over the matches by bucket and story: for what the facets cannot
    /// filter (places).
    func sqlCount(_ parameters: CountParameters, selection: ArticleSelection, in db: Database) throws
        -> Counted
    {
        // A story can span buckets, so the total of stories is not the sum of the buckets' and is
        // counted here too.
        let key = Self.countKey(parameters.by, byIngest: parameters.byIngest == true)
        var counted = Counted()
        var clusters = Set<Int64>()
        let rows = try Row.fetchCursor(
            db, sql: selection.sql("\(key) AS k, coalesce(a.clusterId, a.id) AS c, count(*)", "GROUP BY k, c"),
            arguments: selection.arguments)
        while let row = try rows.next() {
            let bucket: String? = row[0]
            let articles: Int = row[2]
            counted.buckets[bucket, default: CountBucket(key: bucket, articles: 0, stories: 0)].articles += articles
            counted.buckets[bucket]?.stories += 1
            clusters.insert(row[1])
            counted.total += articles
        }
        counted.stories = clusters.count
        return counted
    }

    /// The SQL that names an article's bucket; NULL for an article without one (a date that does not
    /// reach the period's precision counts as none).
    private static func countKey(_ grouping: CountGrouping, byIngest: Bool) -> String {
        let day =
            byIngest
            ? "date(a.ingestedAt, 'unixepoch')" : "CASE WHEN length(a.date) >= 10 THEN substr(a.date, 1, 10) END"
        switch grouping {
        case .day: return day
        case .week: return "date(\(day), '-6 days', 'weekday 1')"
        case .month:
            return byIngest ? "substr(\(day), 1, 7)" : "CASE WHEN length(a.date) >= 7 THEN substr(a.date, 1, 7) END"
        case .outlet: return "a.outlet"
        case .author: return "a.author"
        case .place: return "a.place"
        }
    }

    /// Most periods a count fills in: three centuries of days.
    static let maximumPeriods = 110_000

    /// The periods from the first to the last bucket (or from `since` to `until`), in order, with
    /// the empty ones as 0.
    static func filled(_ buckets: [CountBucket], by grouping: CountGrouping, since: String?, until: String?)
        -> [CountBucket]
    {
        // A period as a number: a month's index, or a day's (a week's Monday's).
        func period(of text: String?) -> Int? {
            guard let text, let date = CivilDay.parts(text), date.month > 0 else { return nil }
            if grouping == .month { return date.year * 12 + date.month - 1 }
            guard date.day > 0 else { return nil }
            let day = CivilDay.number(date.year, date.month, date.day)
            return Int(grouping == .week ? CivilDay.monday(day) : day)
        }
        let byKey = Dictionary(
            buckets.compactMap { b in b.key.map { ($0, b) } }, uniquingKeysWith: { first, _ in first })
        let keyed = buckets.compactMap { $0.key }.sorted()
        guard let first = period(of: since ?? keyed.first), let last = period(of: until ?? keyed.last), first <= last
        else { return buckets.sorted { ($0.key ?? "") < ($1.key ?? "") } }
        let step = grouping == .week ? 7 : 1
        return stride(from: first, through: last, by: step).prefix(maximumPeriods).map { period in
            let key = grouping == .month ? CivilDay.monthText(period) : CivilDay.text(Int32(period))
            return byKey[key] ?? CountBucket(key: key, articles: 0, stories: 0)
        }
    }
}
