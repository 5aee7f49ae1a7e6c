import ArabicText
import Synchronization

/// The watches held in memory for matching, indexed by the terms they require.
///
/// An article's own index terms select the candidate watches (a table lookup per distinct term, then
/// its list of watches, whatever the number of watches); each candidate's text condition is then
/// decided on the article's terms and positions. Only dates and places are left to the writer. Watches that require no
/// particular term (dates or places only) are candidates for every article.
///
/// Checks run on a ``Snapshot``, an immutable copy, so the parsing workers can check articles in
/// parallel while the writer commits; the snapshot's generation tells the writer whether watches
/// were added or removed since.
final class WatchIndex: Sendable {
    /// One watch, compiled once when it is added or loaded. A class: every snapshot holds them all,
    /// and a copy of their compiled parts with each would cost more than the checks.
    final class Entry: Sendable {
        let id: Int64
        let name: String
        let plan: SearchPlan
        /// Its words' condition, for checking an article's terms; nil without words. Numbered in
        /// the index's vocabulary once the watch is in an index.
        let condition: WatchCondition?
        let requirement: TermRequirement?
        /// Whether an article with one of the required terms matches (see ``TermRequirement``).
        let isSufficient: Bool

        init(id: Int64, name: String, plan: SearchPlan, condition: WatchCondition?) {
            self.id = id
            self.name = name
            self.plan = plan
            self.condition = condition
            self.requirement = condition.flatMap(TermRequirement.init)
            isSufficient = requirement?.isSufficient == true
        }

        /// The same watch under another id.
        func with(id: Int64) -> Entry {
            Entry(id: id, name: name, plan: plan, condition: condition)
        }
    }

    /// The watches as they were at one moment.
    struct Snapshot: Sendable {
        fileprivate(set) var generation = 0
        /// The terms and prefixes the watches mention.
        fileprivate(set) var vocabulary = WatchVocabulary()
        /// Every watch, numbered in the order added; a removed one leaves its slot empty.
        fileprivate var slots: [Entry?] = []
        fileprivate var slotOfWatch: [Int64: Int32] = [:]

        /// How many watches there are.
        var count: Int { slotOfWatch.count }

        /// The watch with this id, unless it was removed.
        func entry(id: Int64) -> Entry? {
            slotOfWatch[id].flatMap { slots[Int($0)] }
        }

        /// What a check needs of each slot, kept apart from the entries so that checking thousands
        /// of candidates an article reads a few arrays instead of thousands of objects: the watch's
        /// id, and the root of its program in `programs`, or -1
        /// when an article with its required terms matches.
        fileprivate var ids: [Int64] = []
        fileprivate var roots: [Int32] = []
        fileprivate var programs = WatchPrograms()
        /// Slots whose watches also have dates or places, left to the writer.
        fileprivate var filtered: [Bool] = []
        fileprivate var requiring = WatchPostings()
        fileprivate var unconditional: [Int32] = []

        /// The id of the watch in a slot that ``candidates(for:)`` gave.
        func id(ofSlot slot: Int32) -> Int64 { ids[Int(slot)] }

        /// The dates and places of the watch in a slot that ``candidates(for:)`` gave; most have none.
        func filters(ofSlot slot: Int32) -> [ArticleCondition] {
            filtered[Int(slot)] ? slots[Int(slot)]?.plan.filters ?? [] : []
        }

        /// The slots of the watches whose text condition the article satisfies, in the order added:
        /// those left to check for dates and places.
        func candidates(for terms: ArticleTerms) -> [Int32] {
            // Marked in bitmaps of slots, one a requirement, read back in order: sorted and each once,
            // without a sort. A watch is a candidate when both its requirements are met.
            let words = (slots.count + 63) / 64
            var first = [UInt64](repeating: 0, count: words)
            var second = [UInt64](repeating: 0, count: words)
            for slot in unconditional {
                first[Int(slot) >> 6] |= 1 << UInt64(slot & 63)
                second[Int(slot) >> 6] |= 1 << UInt64(slot & 63)
            }
            requiring.mark(terms.numbers, first: &first, second: &second)
            var candidates: [Int32] = []
            for word in 0..<words {
                var rest = first[word] & second[word]
                while rest != 0 {
                    let slot = word << 6 + rest.trailingZeroBitCount
                    rest &= rest - 1
                    // A removed watch's slot is in no list, so never marked.
                    let root = roots[slot]
                    if root < 0 || programs.holds(root, in: terms) { candidates.append(Int32(slot)) }
                }
            }
            return candidates
        }
    }

    private struct State {
        var snapshot = Snapshot()
        /// For each term or prefix number, the slots requiring it, as ``WatchPostings`` lists them:
        /// appended to as watches are added, laid out flat in the snapshot when it is next taken.
        var requiring: [[Int32]] = []
        var postingsStale = false
    }

    private let state = Mutex(State())

    var snapshot: Snapshot {
        state.withLock { state in
            if state.postingsStale {
                state.snapshot.requiring = WatchPostings(state.requiring)
                state.postingsStale = false
            }
            return state.snapshot
        }
    }
    var isEmpty: Bool { count == 0 }
    var count: Int { state.withLock { $0.snapshot.count } }

    func entry(id: Int64) -> Entry? { state.withLock { $0.snapshot.entry(id: id) } }
    func entry(named name: String) -> Entry? {
        state.withLock { state in state.snapshot.slots.lazy.compactMap { $0 }.first { $0.name == name } }
    }

    /// Compiles a watch's query. Throws what a search with that query would refuse.
    static func entry(id: Int64, name: String, query: String, analyzer: ArabicAnalyzer) throws(InvalidQuery) -> Entry {
        let plan = try SearchPlan(Query(parsing: query, analyzer: analyzer))
        return Entry(
            id: id, name: name, plan: plan, condition: plan.text.map { WatchCondition($0, analyzer: analyzer) })
    }

    func add(_ entry: Entry) {
        state.withLock { state in
            state.snapshot.generation += 1
            let condition = entry.condition?.numbered(in: &state.snapshot.vocabulary)
            let numbered = Entry(id: entry.id, name: entry.name, plan: entry.plan, condition: condition)
            let slot = Int32(state.snapshot.slots.count)
            state.snapshot.slots.append(numbered)
            state.snapshot.slotOfWatch[entry.id] = slot
            state.snapshot.ids.append(entry.id)
            let root = numbered.isSufficient ? nil : condition.map { state.snapshot.programs.add($0) }
            state.snapshot.roots.append(root ?? -1)
            state.snapshot.filtered.append(!numbered.plan.filters.isEmpty)
            guard let requirement = numbered.requirement else {
                state.snapshot.unconditional.append(slot)
                return
            }
            var masks: [Int32: Int32] = [:]
            func require(_ terms: Set<IndexTerm>, _ prefixes: Set<IndexTerm>, _ mask: Int32) {
                for term in terms { masks[state.snapshot.vocabulary.number(term: term), default: 0] |= mask }
                for prefix in prefixes { masks[state.snapshot.vocabulary.number(prefix: prefix), default: 0] |= mask }
            }
            if let second = requirement.second {
                require(requirement.terms, requirement.prefixes, 1)
                require(second.terms, second.prefixes, 2)
            } else {
                require(requirement.terms, requirement.prefixes, 3)
            }
            let numbers = state.snapshot.vocabulary.count
            if state.requiring.count < numbers {
                state.requiring += Array(repeating: [], count: numbers - state.requiring.count)
            }
            for (number, mask) in masks { state.requiring[Int(number)].append(slot << 2 | mask) }
            state.postingsStale = true
        }
    }

    /// Forgets a watch. Its terms keep their numbers: another watch may mention them, and a
    /// vocabulary of every term ever watched stays small.
    func remove(id: Int64) {
        state.withLock { state in
            guard let slot = state.snapshot.slotOfWatch.removeValue(forKey: id) else { return }
            state.snapshot.generation += 1
            state.snapshot.slots[Int(slot)] = nil
            state.snapshot.unconditional.removeAll { $0 == slot }
            for number in state.requiring.indices where state.requiring[number].contains(where: { $0 >> 2 == slot }) {
                state.requiring[number].removeAll { $0 >> 2 == slot }
            }
            state.postingsStale = true
        }
    }
}
