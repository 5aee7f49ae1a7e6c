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
    /// The bytes of long terms past the first ``HashTable/headLength``, one term after another.
    private var tails: [UInt8] = []
    /// Where each numbered term's tail starts in `tails`.
    private var tailOffsets: [UInt32] = []
    /// One bit per value of 20 bits of the hash, set for every term: most of an article's terms are
    /// no watch's, and this answers for them from the cache, without reaching the table.
    private var filter = [UInt64](repeating: 0, count: 1 << 14)
    /// Lengths of the prefixes numbered, in increasing order.
    private(set) var prefixLengths: [Int] = []

    /// How many terms and prefixes are numbered.
    var count: Int { tailOffsets.count }

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
        let slot = byHash.slot(for: hash)
        if let slot, let id = term.bytes.withUnsafeBufferPointer({ number(at: slot, ifHolding: $0[...]) }) {
            return id
        }
        if let id = collided[term] { return id }
        let id = Int32(tailOffsets.count)
        tailOffsets.append(UInt32(tails.count))
        tails += term.bytes.dropFirst(HashTable.headLength)
        if slot == nil {
            term.bytes.withUnsafeBufferPointer { byHash.insert(id, for: hash, term: $0[...]) }
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
        guard filter[bit >> 6] & (1 << UInt64(bit & 63)) != 0, let slot = byHash.slot(for: hash) else { return nil }
        if let id = number(at: slot, ifHolding: term) { return id }
        return collided.isEmpty ? nil : collided[IndexTerm(Array(term))]
    }

    /// The number of the term in `slot` if it has these bytes, else nil.
    private func number(at slot: Int, ifHolding term: Slice<UnsafeBufferPointer<UInt8>>) -> Int32? {
        let (id, length) = byHash.entry(at: slot)
        guard length == term.count, byHash.head(at: slot) == HashTable.head(of: term) else { return nil }
        guard length > HashTable.headLength else { return id }
        let rest = term.dropFirst(HashTable.headLength)
        let same = tails.withUnsafeBufferPointer { tails in
            memcmp(tails.baseAddress! + Int(tailOffsets[Int(id)]), term.base.baseAddress! + rest.startIndex, rest.count)
                == 0
        }
        return same ? id : nil
    }

    private static func filterBit(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> 44) }

    /// Hashes to numbers: linear probing in a power-of-two table kept at most half full. A slot
    /// holds the hash, the number, the term's length and its first bytes, so checking that the term
    /// found is the one looked up reads the slot alone (a term's own bytes elsewhere missed the
    /// cache on most lookups).
    fileprivate struct HashTable: Sendable {
        /// Bytes of a term kept in its slot.
        static let headLength = 16
        /// Slot i is words 4i ..< 4i + 4: the hash (0 when empty), the number (low 32 bits) and
        /// length, and the first ``headLength`` bytes, padded with zeros.
        private var words = [UInt64](repeating: 0, count: 4 * 16)
        private var count = 0

        private var capacity: Int { words.count / 4 }

        func slot(for hash: UInt64) -> Int? {
            let key = hash == 0 ? 1 : hash
            let mask = capacity - 1
            var slot = Int(truncatingIfNeeded: key >> 7) & mask
            while words[4 * slot] != 0 {
                if words[4 * slot] == key { return slot }
                slot = (slot + 1) & mask
            }
            return nil
        }

        func entry(at slot: Int) -> (number: Int32, length: Int) {
            let word = words[4 * slot + 1]
            return (Int32(truncatingIfNeeded: word), Int(word >> 32))
        }

        func head(at slot: Int) -> (UInt64, UInt64) {
            (words[4 * slot + 2], words[4 * slot + 3])
        }

        /// The first ``headLength`` bytes of a term as a slot holds them.
        static func head(of term: Slice<UnsafeBufferPointer<UInt8>>) -> (UInt64, UInt64) {
            var head: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &head) { head in
                head.copyMemory(from: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: term.prefix(headLength))))
            }
            return head
        }

        mutating func insert(_ value: Int32, for hash: UInt64, term: Slice<UnsafeBufferPointer<UInt8>>) {
            let head = Self.head(of: term)
            put([hash == 0 ? 1 : hash, UInt64(UInt32(bitPattern: value)) | UInt64(term.count) << 32, head.0, head.1])
        }

        private mutating func put(_ slotWords: [UInt64]) {
            if (count + 1) * 2 > capacity { grow() }
            let mask = capacity - 1
            var slot = Int(truncatingIfNeeded: slotWords[0] >> 7) & mask
            while words[4 * slot] != 0, words[4 * slot] != slotWords[0] { slot = (slot + 1) & mask }
            if words[4 * slot] == 0 { count += 1 }
            words.replaceSubrange((4 * slot)..<(4 * slot + 4), with: slotWords)
        }

        private mutating func grow() {
            let old = words
            words = [UInt64](repeating: 0, count: old.count * 2)
            count = 0
            for slot in stride(from: 0, to: old.count, by: 4) where old[slot] != 0 {
                put(Array(old[slot..<(slot + 4)]))
            }
        }
    }

    /// FNV-1a over the bytes, with prefixes hashed apart from whole terms of the same bytes.
    private static func hash(_ bytes: some Collection<UInt8>, prefix: Bool) -> UInt64 {
        FNV1a.hash(bytes, basis: prefix ? 0x8422_2325_CBF2_9CE4 : FNV1a.offsetBasis)
    }
}
