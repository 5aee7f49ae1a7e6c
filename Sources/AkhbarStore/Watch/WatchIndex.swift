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
        /// The condition numbered in the index's vocabulary; nil until the watch is in an index, or
        /// without words.
        let program: WatchProgram?
        /// Whether an article with one of the required terms matches (see ``TermRequirement``).
        let isSufficient: Bool

        init(id: Int64, name: String, plan: SearchPlan, condition: WatchCondition?, program: WatchProgram? = nil) {
            self.id = id
            self.name = name
            self.plan = plan
            self.condition = condition
            self.requirement = condition.flatMap(TermRequirement.init)
            self.program = program
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
        fileprivate(set) var entries: [Int64: Entry] = [:]
        /// The terms and prefixes the watches mention.
        fileprivate(set) var vocabulary = WatchVocabulary()
        /// Every watch, numbered in the order added; a removed one leaves its slot empty.
        fileprivate var slots: [Entry?] = []
        fileprivate var slotOfWatch: [Int64: Int32] = [:]
        /// For each term or prefix number, the slots of the watches that require it.
        fileprivate var requiring: [[Int32]] = []
        fileprivate var unconditional: [Int32] = []

        /// The watches whose text condition the article satisfies, in the order added: those left
        /// to check for dates and places.
        func candidates(for terms: ArticleTerms) -> [Entry] {
            // Marked in a bitmap of slots, read back in order: sorted and each once, without a sort.
            var marked = [UInt64](repeating: 0, count: (slots.count + 63) / 64)
            func mark(_ slot: Int32) { marked[Int(slot) >> 6] |= 1 << UInt64(slot & 63) }
            unconditional.forEach(mark)
            for number in terms.numbers where Int(number) < requiring.count {
                requiring[Int(number)].forEach(mark)
            }
            var candidates: [Entry] = []
            for (word, bits) in marked.enumerated() where bits != 0 {
                var rest = bits
                while rest != 0 {
                    let slot = word << 6 + rest.trailingZeroBitCount
                    rest &= rest - 1
                    guard let entry = slots[slot] else { continue }
                    if entry.isSufficient || entry.program?.holds(in: terms) ?? true {
                        candidates.append(entry)
                    }
                }
            }
            return candidates
        }
    }

    private let state = Mutex(Snapshot())

    var snapshot: Snapshot { state.withLock { $0 } }
    var isEmpty: Bool { state.withLock { $0.entries.isEmpty } }
    var count: Int { state.withLock { $0.entries.count } }

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
            let condition = entry.condition?.numbered(in: &state.vocabulary)
            let numbered = Entry(
                id: entry.id, name: entry.name, plan: entry.plan, condition: condition,
                program: condition.map(WatchProgram.init))
            let slot = Int32(state.slots.count)
            state.slots.append(numbered)
            state.slotOfWatch[entry.id] = slot
            state.entries[entry.id] = numbered
            guard let requirement = numbered.requirement else {
                state.unconditional.append(slot)
                return
            }
            let numbers =
                requirement.terms.map { state.vocabulary.number(term: $0) }
                + requirement.prefixes.map { state.vocabulary.number(prefix: $0) }
            if state.requiring.count < state.vocabulary.count {
                state.requiring += Array(repeating: [], count: state.vocabulary.count - state.requiring.count)
            }
            for number in Set(numbers) { state.requiring[Int(number)].append(slot) }
        }
    }

    /// Forgets a watch. Its terms keep their numbers: another watch may mention them, and a
    /// vocabulary of every term ever watched stays small.
    func remove(id: Int64) {
        state.withLock { state in
            guard state.entries.removeValue(forKey: id) != nil, let slot = state.slotOfWatch.removeValue(forKey: id)
            else { return }
            state.generation += 1
            state.slots[Int(slot)] = nil
            state.unconditional.removeAll { $0 == slot }
            for number in state.requiring.indices where state.requiring[number].contains(slot) {
                state.requiring[number].removeAll { $0 == slot }
            }
        }
    }
}
