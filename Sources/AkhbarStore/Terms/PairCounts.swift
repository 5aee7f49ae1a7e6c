/// Articles per pair of 32-bit numbers (two words that make a phrase), each article counted once.
///
/// A tally meets a phrase at almost every word. `Dictionary` hashes each key with SipHash and
/// keeps counts apart from keys; here a multiplicative hash finds a slot holding the pair and its
/// counts together, so a phrase costs one cache line: a third of the time counting took.
struct PairCounts: Sendable {
    /// Open addressing, a power of two long; a slot is empty while its articles are 0.
    private var slots = [Slot](repeating: Slot(), count: 4096)
    private var shift: UInt64 = 64 - 12
    /// Pairs counted.
    private(set) var count = 0

    static func pack(_ first: Int32, _ second: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: first)) << 32 | UInt64(UInt32(bitPattern: second))
    }

    static func split(_ pair: UInt64) -> (Int32, Int32) {
        (Int32(truncatingIfNeeded: pair >> 32), Int32(truncatingIfNeeded: pair))
    }

    /// Counts `pair` for `article`, unless that article already counted it; returns whether it did.
    @discardableResult
    mutating func add(_ pair: UInt64, article: Int32) -> Bool {
        let slot = find(pair)
        if slots[slot].articles == 0 {
            slots[slot] = Slot(pair: pair, articles: 1, article: article)
            added()
        } else if slots[slot].article != article {
            slots[slot].articles += 1
            slots[slot].article = article
        } else {
            return false
        }
        return true
    }

    /// Adds `articles` to the count of `pair`.
    mutating func add(_ pair: UInt64, articles: Int32) {
        let slot = find(pair)
        if slots[slot].articles == 0 {
            slots[slot] = Slot(pair: pair, articles: articles, article: -1)
            added()
        } else {
            slots[slot].articles += articles
        }
    }

    func articles(of pair: UInt64) -> Int32 {
        slots[find(pair)].articles
    }

    /// Every pair counted, with its articles.
    func forEachCounted(_ body: (_ pair: UInt64, _ articles: Int32) -> Void) {
        for slot in slots where slot.articles > 0 { body(slot.pair, slot.articles) }
    }

    /// Forgets the pairs in fewer than `minimum` articles.
    mutating func prune(below minimum: Int32) {
        var kept = PairCounts()
        forEachCounted { pair, articles in if articles >= minimum { kept.add(pair, articles: articles) } }
        self = kept
    }

    /// The slot holding `pair`, or the empty one where it would go.
    private func find(_ pair: UInt64) -> Int {
        var slot = Int(truncatingIfNeeded: (pair &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while slots[slot].articles != 0, slots[slot].pair != pair { slot = (slot + 1) & (slots.count - 1) }
        return slot
    }

    private mutating func added() {
        count += 1
        guard count * 2 > slots.count else { return }
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        shift -= 1
        for slot in old where slot.articles > 0 { slots[find(slot.pair)] = slot }
    }

    private struct Slot: Sendable {
        var pair: UInt64 = 0
        var articles: Int32 = 0
        /// The last article that counted the pair.
        var article: Int32 = -1
    }
}
