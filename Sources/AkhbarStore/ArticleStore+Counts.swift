import AkhbarProtocol
import ArabicText
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
            // One pass over the matches, by bucket and story: a story can span buckets, so the total of
            // stories is not the sum of the buckets' and is counted here too.
            let key = Self.countKey(parameters.by, byIngest: parameters.byIngest == true)
            var byKey: [String?: CountBucket] = [:]
            var clusters = Set<Int64>()
            var total = 0
            let rows = try Row.fetchCursor(
                db, sql: selection.sql("\(key) AS k, coalesce(a.clusterId, a.id) AS c, count(*)", "GROUP BY k, c"),
                arguments: selection.arguments)
            while let row = try rows.next() {
                let bucket: String? = row[0]
                let articles: Int = row[2]
                byKey[bucket, default: CountBucket(key: bucket, articles: 0, stories: 0)].articles += articles
                byKey[bucket]?.stories += 1
                clusters.insert(row[1])
                total += articles
            }
            let stories = clusters.count
            var buckets = Array(byKey.values)
            if parameters.by.isPeriod {
                let undated = buckets.first { $0.key == nil }?.articles ?? 0
                buckets = Self.filled(
                    buckets.filter { $0.key != nil }, by: parameters.by, since: parameters.since,
                    until: parameters.until)
                return CountReply(buckets: buckets, total: total, stories: stories, undated: undated, others: 0)
            }
            buckets.sort { ($0.articles, $1.key ?? "") > ($1.articles, $0.key ?? "") }
            let others = buckets.dropFirst(limit).reduce(0) { $0 + $1.articles }
            return CountReply(
                buckets: Array(buckets.prefix(limit)), total: total, stories: stories, undated: 0, others: others)
        }
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
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let day = DateFormatter()
        day.calendar = calendar
        day.timeZone = calendar.timeZone
        day.locale = Locale(identifier: "en_US_POSIX")
        day.dateFormat = grouping == .month ? "yyyy-MM" : "yyyy-MM-dd"
        func period(of text: String?) -> Date? {
            guard let text, let date = DateFormatter.parseDay(text, calendar: calendar) else { return nil }
            switch grouping {
            case .month: return calendar.date(from: calendar.dateComponents([.year, .month], from: date))
            case .week:
                let weekday = calendar.component(.weekday, from: date)  // 1 = Sunday … 7 = Saturday
                return calendar.date(byAdding: .day, value: -((weekday + 5) % 7), to: date)
            default: return date
            }
        }
        let byKey = Dictionary(
            buckets.compactMap { b in b.key.map { ($0, b) } }, uniquingKeysWith: { first, _ in first })
        let keyed = buckets.compactMap { $0.key }.sorted()
        guard let first = period(of: since ?? keyed.first.map { grouping == .month ? $0 + "-01" : $0 }),
            let last = period(of: until ?? keyed.last.map { grouping == .month ? $0 + "-01" : $0 }), first <= last
        else { return buckets.sorted { ($0.key ?? "") < ($1.key ?? "") } }
        let step: DateComponents =
            switch grouping {
            case .month: DateComponents(month: 1)
            case .week: DateComponents(day: 7)
            default: DateComponents(day: 1)
            }
        var result: [CountBucket] = []
        var current = first
        while current <= last, result.count < maximumPeriods {
            let key = day.string(from: current)
            result.append(byKey[key] ?? CountBucket(key: key, articles: 0, stories: 0))
            guard let next = calendar.date(byAdding: step, to: current) else { break }
            current = next
        }
        return result
    }
}

extension DateFormatter {
    /// `YYYY-MM-DD` at midnight UTC, or nil.
    fileprivate static func parseDay(_ text: String, calendar: Calendar) -> Date? {
        let parts = text.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }
}
