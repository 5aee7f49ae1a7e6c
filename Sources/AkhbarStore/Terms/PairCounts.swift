/// Articles per pair of 32-bit numbers (two words that make a phrase).
///
/// Tens of thousands of phrases are looked up in it (each candidate of the matching articles in the
/// archive's sample): a multiplicative hash finds a slot holding the pair and its count together,
/// one cache line, where `Dictionary` would hash with SipHash and keep counts apart from keys.
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

    /// Adds `articles` to the count of `pair`.
    mutating func add(_ pair: UInt64, articles: Int32) {
        let slot = find(pair)
        if slots[slot].articles == 0 {
            slots[slot] = Slot(pair: pair, articles: articles)
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
    }
}
