/// The key each word of a tally counts under, by the word's bytes as analysis reports them: the
/// lookup made for every word of every article a tally reads.
///
/// A word is known by its 64-bit hash (``TermInterner/hash(_:)``) and its length; its bytes are not
/// kept. Comparing them meant reading them from memory that a rare word's lookup had not touched
/// for a long time, and that wait was the largest cost of a tally. Two distinct words of one length
/// share a hash with a chance of 2⁻⁶⁴: among the few hundred thousand distinct words of a request,
/// about one request in 10⁸ would count a word under another word's key.
struct WordKeys: Sendable {
    /// Open addressing, a power of two long.
    private var slots = [Slot](repeating: Slot(), count: 1 << 14)
    /// The first words once more, in a table small enough to stay in the processor's cache: the
    /// words a text uses first are mostly the ones it uses most, so most lookups end there.
    private var hot = [Slot](repeating: Slot(), count: 2 * Self.hotCount)
    private static let hotCount = 4096
    private(set) var count = 0

    /// The key of the word with `hash` and `length`, if it has one.
    func key(hash: UInt64, length: Int) -> Int32? {
        let hotSlot = Self.find(hash, length, in: hot)
        if hot[hotSlot].length >= 0 { return hot[hotSlot].key }
        // Until the hot table is full, every word is in it.
        guard count >= Self.hotCount else { return nil }
        let slot = Self.find(hash, length, in: slots)
        return slots[slot].length >= 0 ? slots[slot].key : nil
    }

    /// Records the key of a word that has none yet.
    mutating func set(_ key: Int32, hash: UInt64, length: Int) {
        let new = Slot(hash: hash, key: key, length: Int32(length))
        if count < Self.hotCount { hot[Self.find(hash, length, in: hot)] = new }
        slots[Self.find(hash, length, in: slots)] = new
        count += 1
        if count * 2 > slots.count { grow() }
    }

    private static func find(_ hash: UInt64, _ length: Int, in slots: [Slot]) -> Int {
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot].length >= 0 {
            if slots[slot].hash == hash, Int(slots[slot].length) == length { return slot }
            slot = (slot + 1) & (slots.count - 1)
        }
        return slot
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        for slot in old where slot.length >= 0 {
            slots[Self.find(slot.hash, Int(slot.length), in: slots)] = slot
        }
    }

    private struct Slot: Sendable {
        var hash: UInt64 = 0
        /// A key number in the tally, or its mark for a word that is left out.
        var key: Int32 = 0
        /// The word's length in bytes; -1 for an empty slot.
        var length: Int32 = -1
    }
}
