import Glibc

/// The index terms and prefixes the watches mention, numbered: an article is reduced to these before
/// any watch is looked at, and conditions compare numbers instead of bytes.
///
/// An article's terms are looked up by a 64-bit hash of their bytes, computed as the analyzer hands
/// them over, in a table of its own (open addressing on the hash itself; a `Dictionary` would hash
/// the hash again), so the thousands of terms of an article that no watch mentions cost no
/// allocation and little time.
struct WatchVocabulary: Sendable {
    private var byHash = HashTable()
    /// Terms of the rare hash shared by two of them, looked up by their bytes.
    private var collided: [IndexTerm: Int32] = [:]
    /// Every term's bytes, one after another, each after its length (4 bytes): checking that a
    /// term found by its hash is the one looked up reads one place, where an array a term missed
    /// the cache on most lookups.
    private var storage: [UInt8] = []
    /// Where each numbered term starts in `storage`.
    private var offsets: [UInt32] = []
    /// One bit per value of 20 bits of the hash, set for every term: most of an article's terms are
    /// no watch's, and this answers for them from the cache, without reaching the table.
    private var filter = [UInt64](repeating: 0, count: 1 << 14)
    /// Lengths of the prefixes numbered, in increasing order.
    private(set) var prefixLengths: [Int] = []

    /// How many terms and prefixes are numbered.
    var count: Int { offsets.count }

    /// The number of a whole term, given it if new.
    mutating func number(term: IndexTerm) -> Int32 {
        number(term, hash: Self.hash(term.bytes[...], prefix: false))
    }

    /// The number of a prefix, given it if new: any term starting with it has it too.
    mutating func number(prefix: IndexTerm) -> Int32 {
        if !prefixLengths.contains(prefix.count) {
            prefixLengths.append(prefix.count)
            prefixLengths.sort()
        }
        return number(prefix, hash: Self.hash(prefix.bytes[...], prefix: true))
    }

    private mutating func number(_ term: IndexTerm, hash: UInt64) -> Int32 {
        let known = byHash.value(for: hash)
        if let id = known, term.bytes.withUnsafeBufferPointer({ isTerm(id, $0[...]) }) { return id }
        if let id = collided[term] { return id }
        let id = Int32(offsets.count)
        offsets.append(UInt32(storage.count))
        let length = UInt32(term.count)
        for shift in stride(from: 0, to: 32, by: 8) { storage.append(UInt8(truncatingIfNeeded: length >> shift)) }
        storage += term.bytes
        if known == nil {
            byHash.insert(id, for: hash)
            filter[Self.filterBit(hash) >> 6] |= 1 << UInt64(Self.filterBit(hash) & 63)
        } else {
            collided[term] = id
        }
        return id
    }

    /// Calls `body` with the number of the term and of each numbered prefix of it.
    func numbers(of term: UnsafeBufferPointer<UInt8>, _ body: (Int32) -> Void) {
        if let id = lookUp(term[...], hash: Self.hash(term[...], prefix: false)) { body(id) }
        for length in prefixLengths {
            guard length <= term.count else { break }
            let prefix = term[..<length]
            if let id = lookUp(prefix, hash: Self.hash(prefix, prefix: true)) { body(id) }
        }
    }

    private func lookUp(_ term: Slice<UnsafeBufferPointer<UInt8>>, hash: UInt64) -> Int32? {
        let bit = Self.filterBit(hash)
        guard filter[bit >> 6] & (1 << UInt64(bit & 63)) != 0, let id = byHash.value(for: hash) else { return nil }
        if isTerm(id, term) { return id }
        return collided.isEmpty ? nil : collided[IndexTerm(Array(term))]
    }

    /// Whether the term numbered `id` has these bytes.
    private func isTerm(_ id: Int32, _ term: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        storage.withUnsafeBufferPointer { storage in
            let start = Int(offsets[Int(id)])
            let length = (0..<4).reduce(0) { $0 | Int(storage[start + $1]) << (8 * $1) }
            return length == term.count
                && (term.isEmpty
                    || memcmp(storage.baseAddress! + start + 4, term.base.baseAddress! + term.startIndex, length) == 0)
        }
    }

    private static func filterBit(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> 44) }

    /// Hashes to numbers: linear probing in a power-of-two table kept at most half full, each
    /// slot's hash and number side by side.
    private struct HashTable: Sendable {
        /// Slot i: its hash at 2i (0 when empty), its number at 2i + 1.
        private var slots = [UInt64](repeating: 0, count: 32)
        private var count = 0

        private var capacity: Int { slots.count / 2 }

        func value(for hash: UInt64) -> Int32? {
            let key = hash == 0 ? 1 : hash
            let mask = capacity - 1
            var slot = Int(truncatingIfNeeded: key >> 7) & mask
            while slots[2 * slot] != 0 {
                if slots[2 * slot] == key { return Int32(truncatingIfNeeded: slots[2 * slot + 1]) }
                slot = (slot + 1) & mask
            }
            return nil
        }

        mutating func insert(_ value: Int32, for hash: UInt64) {
            if (count + 1) * 2 > capacity { grow() }
            let key = hash == 0 ? 1 : hash
            let mask = capacity - 1
            var slot = Int(truncatingIfNeeded: key >> 7) & mask
            while slots[2 * slot] != 0, slots[2 * slot] != key { slot = (slot + 1) & mask }
            if slots[2 * slot] == 0 { count += 1 }
            slots[2 * slot] = key
            slots[2 * slot + 1] = UInt64(UInt32(bitPattern: value))
        }

        private mutating func grow() {
            let old = slots
            slots = [UInt64](repeating: 0, count: old.count * 2)
            count = 0
            for index in stride(from: 0, to: old.count, by: 2) where old[index] != 0 {
                insert(Int32(truncatingIfNeeded: old[index + 1]), for: old[index])
            }
        }
    }

    /// FNV-1a over the bytes, with prefixes hashed apart from whole terms of the same bytes.
    private static func hash(_ bytes: some Collection<UInt8>, prefix: Bool) -> UInt64 {
        FNV1a.hash(bytes, basis: prefix ? 0x8422_2325_CBF2_9CE4 : FNV1a.offsetBasis)
    }
}
