import AkhbarProtocol
import ArabicText
import Articles
import GRDB

extension ArticleStore {
    /// ``count(_:)`` over the facets in memory: the matching ids from the full-text index (or every
    /// article), filtered and grouped without reading the article table. Nil when a condition needs
    /// SQL: a `place:` filter, a date filter while some stated date has an odd shape, or an outlet
    /// or author that a copy states for an article of another (the facets hold each article's own).
    func facetCount(
        _ parameters: CountParameters, plan: SearchPlan?, selection: ArticleSelection, in db: Database
    ) throws -> Counted? {
        // Decided before the facets are brought up to date: the first count after a start reads
        // every article for them.
        if plan?.filters.contains(where: { if case .place = $0 { true } else { false } }) == true { return nil }
        if try Self.copiesState(outlet: parameters.outlet, author: parameters.author, in: db) { return nil }
        let facets = try articleFacets.current(db)
        guard let filter = FacetFilter(parameters, plan: plan, facets: facets) else { return nil }
        var tally = FacetTally(grouping: parameters.by, byIngest: parameters.byIngest == true, facets: facets)
        if let match = selection.match {
            let ids = try Int64.fetchCursor(
                db.cachedStatement(sql: "SELECT rowid FROM article_fts WHERE article_fts MATCH ?"), arguments: [match])
            while let id = try ids.next() {
                let index = Int(id)
                if index < facets.count, facets.exists[index], filter.accepts(index, facets) { tally.add(index) }
            }
        } else {
            for index in 1..<facets.count where facets.exists[index] && filter.accepts(index, facets) {
                tally.add(index)
            }
        }
        return tally.counted()
    }

    /// Whether some source states this outlet or author for an article that does not (`source_meta`).
    static func copiesState(outlet: String?, author: String?, in db: Database) throws -> Bool {
        if let outlet,
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM source_meta WHERE outlet = ?)"),
                arguments: [outlet]) == true
        {
            return true
        }
        guard let author else { return false }
        return try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM source_meta WHERE author = ?)"), arguments: [author])
            == true
    }
}

/// Since, until, `date:` ranges, outlet and author, checked against an article's facets.
private struct FacetFilter {
    /// YYYYMMDD bounds the article's day must fall within (and, when negated, outside).
    var ranges: [(first: Int32, last: Int32, negated: Bool)] = []
    var outlet: UInt32?
    var author: UInt32?

    init?(_ parameters: CountParameters, plan: SearchPlan?, facets: ArticleFacets.Columns) {
        func bound(_ text: String?, _ otherwise: Int32) -> Int32? {
            guard let text else { return otherwise }
            return CivilDay.parts(text).map { Int32($0.year * 10_000 + $0.month * 100 + $0.day) }
        }
        var conditions: [(DateRange, Bool)] = []
        if parameters.since != nil || parameters.until != nil {
            conditions.append((DateRange(first: parameters.since, last: parameters.until), false))
        }
        for condition in plan?.filters ?? [] {
            switch condition {
            case .date(let range, let negated): conditions.append((range, negated))
            case .place: return nil  // facetCount has sent these to SQL already
            }
        }
        if !conditions.isEmpty, facets.hasOddDates { return nil }
        for (range, negated) in conditions {
            guard let first = bound(range.first, .min), let last = bound(range.last, .max) else { return nil }
            ranges.append((first, last, negated))
        }
        // A name no article has matches none: code 0 is "no outlet", so an impossible code stands in.
        if let name = parameters.outlet { outlet = facets.code(of: name) ?? .max }
        if let name = parameters.author { author = facets.code(of: name) ?? .max }
    }

    func accepts(_ id: Int, _ facets: ArticleFacets.Columns) -> Bool {
        if let outlet, facets.outlet[id] != outlet { return false }
        if let author, facets.author[id] != author { return false }
        let day = facets.filterDay[id]
        for range in ranges where (range.first...range.last).contains(day) == range.negated { return false }
        return true
    }
}

/// Articles and stories per bucket, a story being a near-duplicate cluster counted once.
///
/// Buckets are counted in arrays over the range of keys the facets hold (days, months or name
/// codes): a dictionary lookup an article was a third of a count with no query.
private struct FacetTally {
    let grouping: CountGrouping
    let byIngest: Bool
    let facets: ArticleFacets.Columns
    /// The lowest key; a key's slot is `key - base + 1`, slot 0 holds articles without one.
    private let base: Int64
    private var articles: [Int32]
    /// Articles alone in their cluster: a story each.
    private var single: [Int32]
    /// Clusters of several articles, per slot and in all.
    private var clusters: [Int: Set<Int32>] = [:]
    private var allClusters = Set<Int32>()
    private var total = 0
    private var singles = 0

    init(grouping: CountGrouping, byIngest: Bool, facets: ArticleFacets.Columns) {
        self.grouping = grouping
        self.byIngest = byIngest
        self.facets = facets
        let keys: ClosedRange<Int64>
        switch grouping {
        case .day, .week:
            let days = (byIngest ? facets.ingestDays : facets.days) ?? 0...0
            keys = Int64(CivilDay.monday(days.lowerBound))...Int64(days.upperBound)
        case .month:
            if byIngest {
                let days = facets.ingestDays ?? 0...0
                keys = Self.month(of: days.lowerBound)...Self.month(of: days.upperBound)
            } else {
                keys = Int64(facets.months?.lowerBound ?? 0)...Int64(facets.months?.upperBound ?? 0)
            }
        case .outlet, .author, .place:
            keys = 1...Int64(max(facets.names.count, 1))
        }
        base = keys.lowerBound
        articles = [Int32](repeating: 0, count: keys.count + 1)
        single = articles
    }

    mutating func add(_ id: Int) {
        let slot = self.slot(of: id)
        articles[slot] += 1
        total += 1
        if facets.shared[id] {
            clusters[slot, default: []].insert(facets.cluster[id])
            allClusters.insert(facets.cluster[id])
        } else {
            single[slot] += 1
            singles += 1
        }
    }

    func counted() -> ArticleStore.Counted {
        var counted = ArticleStore.Counted(total: total, stories: singles + allClusters.count)
        for slot in articles.indices where articles[slot] > 0 {
            let name = slot == 0 ? nil : self.name(of: base + Int64(slot) - 1)
            counted.buckets[name] = CountBucket(
                key: name, articles: Int(articles[slot]), stories: Int(single[slot]) + (clusters[slot]?.count ?? 0))
        }
        return counted
    }

    private static func month(of day: Int32) -> Int64 {
        let date = CivilDay.date(day)
        return Int64(date.year * 12 + date.month - 1)
    }

    private func slot(of id: Int) -> Int {
        let none = ArticleFacets.Columns.none
        let key: Int64
        switch grouping {
        case .day, .week:
            let day = byIngest ? facets.ingestDay[id] : facets.day[id]
            guard day != none else { return 0 }
            key = Int64(grouping == .week ? CivilDay.monday(day) : day)
        case .month:
            if byIngest {
                key = Self.month(of: facets.ingestDay[id])
            } else {
                guard facets.month[id] != none else { return 0 }
                key = Int64(facets.month[id])
            }
        case .outlet: key = Int64(facets.outlet[id])
        case .author: key = Int64(facets.author[id])
        case .place: key = Int64(facets.place[id])
        }
        // Code 0 (no outlet, author or place) is below the range, in slot 0 with the undated. The
        // range holds every key the facets have, so the last check never fails; it keeps a bug from
        // stopping the daemon.
        guard key >= base, key - base + 1 < Int64(articles.count) else { return 0 }
        return Int(key - base) + 1
    }

    private func name(of key: Int64) -> String? {
        switch grouping {
        case .day, .week: return CivilDay.text(Int32(key))
        case .month: return CivilDay.monthText(Int(key))
        case .outlet, .author, .place: return facets.name(UInt32(key))
        }
    }
}
