import ArabicText
import Synchronization

/// The watches held in memory for matching, indexed by the terms they require.
///
/// An article's own index terms select the candidate watches (a dictionary lookup per distinct term,
/// whatever the number of watches); each candidate's text condition is then decided on the article's
/// terms and positions. Only dates and places are left to the writer. Watches that require no
/// particular term (dates or places only) are candidates for every article.
///
/// Checks run on a ``Snapshot``, an immutable copy, so the parsing workers can check articles in
/// parallel while the writer commits; the snapshot's generation tells the writer whether watches
/// were added or removed since.
final class WatchIndex: Sendable {
    /// One watch, compiled once when it is added or loaded. A class: snapshots and verdicts pass it
    /// around by the thousand, and copying its compiled parts each time cost more than checking it.
    final class Entry: Sendable {
        let id: Int64
        let name: String
        let plan: SearchPlan
        /// Its words' condition, for checking an article's terms; nil without words.
        let condition: WatchCondition?
        let requirement: TermRequirement?

        init(id: Int64, name: String, plan: SearchPlan, condition: WatchCondition?) {
            self.id = id
            self.name = name
            self.plan = plan
            self.condition = condition
            self.requirement = condition.flatMap(TermRequirement.init)
        }

        /// The same watch under another id.
        func with(id: Int64) -> Entry {
            Entry(id: id, name: name, plan: plan, condition: condition)
        }
    }

    /// The watches as they were at one moment.
    struct Snapshot: Sendable {
        fileprivate(set) var generation = 0
        fileprivate(set) var entries: [Int64: Entry] = [:]
        fileprivate var byTerm: [IndexTerm: [Int64]] = [:]
        fileprivate var byPrefix: [IndexTerm: [Int64]] = [:]
        fileprivate var unconditional: Set<Int64> = []
        /// Lengths of the prefixes in `byPrefix`, so an article's term is cut only to lengths in use.
        fileprivate var prefixLengths: Set<Int> = []

        /// The watches whose text condition the article satisfies, in id order: those left to check
        /// for dates and places.
        func candidates(for terms: ArticleTerms) -> [Entry] {
            var ids = unconditional
            for term in terms.terms {
                if let found = byTerm[term] { ids.formUnion(found) }
                for length in prefixLengths where term.count >= length {
                    if let found = byPrefix[term.prefix(length)] { ids.formUnion(found) }
                }
            }
            return ids.sorted().compactMap { id in
                guard let entry = entries[id] else { return nil }
                guard let condition = entry.condition, entry.requirement?.isSufficient != true else { return entry }
                return condition.holds(in: terms) ? entry : nil
            }
        }
    }

    private let state = Mutex(Snapshot())

    var snapshot: Snapshot { state.withLock { $0 } }
    var isEmpty: Bool { state.withLock { $0.entries.isEmpty } }
    var count: Int { state.withLock { $0.entries.count } }
    var generation: Int { state.withLock { $0.generation } }

    func entry(id: Int64) -> Entry? { state.withLock { $0.entries[id] } }
    func entry(named name: String) -> Entry? { state.withLock { $0.entries.values.first { $0.name == name } } }

    /// Compiles a watch's query. Throws what a search with that query would refuse.
    static func entry(id: Int64, name: String, query: String, analyzer: ArabicAnalyzer) throws(InvalidQuery) -> Entry {
        let plan = try SearchPlan(Query(parsing: query, analyzer: analyzer))
        return Entry(
            id: id, name: name, plan: plan, condition: plan.text.map { WatchCondition($0, analyzer: analyzer) })
    }

    func add(_ entry: Entry) {
        state.withLock { state in
            state.generation += 1
            state.entries[entry.id] = entry
            guard let requirement = entry.requirement else {
                state.unconditional.insert(entry.id)
                return
            }
            for term in requirement.terms { state.byTerm[term, default: []].append(entry.id) }
            for prefix in requirement.prefixes {
                state.byPrefix[prefix, default: []].append(entry.id)
                state.prefixLengths.insert(prefix.count)
            }
        }
    }

    func remove(id: Int64) {
        state.withLock { state in
            guard let entry = state.entries.removeValue(forKey: id) else { return }
            state.generation += 1
            state.unconditional.remove(id)
            for term in entry.requirement?.terms ?? [] {
                state.byTerm[term]?.removeAll { $0 == id }
                if state.byTerm[term]?.isEmpty == true { state.byTerm[term] = nil }
            }
            for prefix in entry.requirement?.prefixes ?? [] {
                state.byPrefix[prefix]?.removeAll { $0 == id }
                if state.byPrefix[prefix]?.isEmpty == true { state.byPrefix[prefix] = nil }
            }
            state.prefixLengths = Set(state.byPrefix.keys.map(\.count))
        }
    }
}
