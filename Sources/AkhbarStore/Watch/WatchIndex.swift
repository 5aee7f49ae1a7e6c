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
        /// For each term or prefix number, the watches that require it: slot × 4 + which of a
        /// watch's two requirements it satisfies (1 the first, 2 the second, 3 both; a watch with
        /// one requirement counts its terms as both).
        fileprivate var requiring: [[Int32]] = []
        fileprivate var unconditional: [Int32] = []

        /// The watches whose text condition the article satisfies, in the order added: those left
        /// to check for dates and places.
        func candidates(for terms: ArticleTerms) -> [Entry] {
            // Marked in bitmaps of slots, one a requirement, read back in order: sorted and each once,
            // without a sort. A watch is a candidate when both its requirements are met.
            let words = (slots.count + 63) / 64
            var first = [UInt64](repeating: 0, count: words)
            var second = [UInt64](repeating: 0, count: words)
            func mark(_ value: Int32) {
                let slot = Int(value >> 2)
                if value & 1 != 0 { first[slot >> 6] |= 1 << UInt64(slot & 63) }
                if value & 2 != 0 { second[slot >> 6] |= 1 << UInt64(slot & 63) }
            }
            for slot in unconditional { mark(slot << 2 | 3) }
            for number in terms.numbers where Int(number) < requiring.count {
                requiring[Int(number)].forEach(mark)
            }
            var candidates: [Entry] = []
            for (word, bits) in zip(first, second).map({ $0 & $1 }).enumerated() where bits != 0 {
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
    var isEmpty: Bool { count == 0 }
    var count: Int { state.withLock { $0.count } }

    func entry(id: Int64) -> Entry? { state.withLock { $0.entry(id: id) } }
    func entry(named name: String) -> Entry? {
        state.withLock { state in state.slots.lazy.compactMap { $0 }.first { $0.name == name } }
    }

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
            guard let requirement = numbered.requirement else {
                state.unconditional.append(slot)
                return
            }
            var masks: [Int32: Int32] = [:]
            func require(_ terms: Set<IndexTerm>, _ prefixes: Set<IndexTerm>, _ mask: Int32) {
                for term in terms { masks[state.vocabulary.number(term: term), default: 0] |= mask }
                for prefix in prefixes { masks[state.vocabulary.number(prefix: prefix), default: 0] |= mask }
            }
            if let second = requirement.second {
                require(requirement.terms, requirement.prefixes, 1)
                require(second.terms, second.prefixes, 2)
            } else {
                require(requirement.terms, requirement.prefixes, 3)
            }
            if state.requiring.count < state.vocabulary.count {
                state.requiring += Array(repeating: [], count: state.vocabulary.count - state.requiring.count)
            }
            for (number, mask) in masks { state.requiring[Int(number)].append(slot << 2 | mask) }
        }
    }

    /// Forgets a watch. Its terms keep their numbers: another watch may mention them, and a
    /// vocabulary of every term ever watched stays small.
    func remove(id: Int64) {
        state.withLock { state in
            guard let slot = state.slotOfWatch.removeValue(forKey: id) else { return }
            state.generation += 1
            state.slots[Int(slot)] = nil
            state.unconditional.removeAll { $0 == slot }
            for number in state.requiring.indices where state.requiring[number].contains(where: { $0 >> 2 == slot }) {
                state.requiring[number].removeAll { $0 >> 2 == slot }
            }
        }
    }
}
