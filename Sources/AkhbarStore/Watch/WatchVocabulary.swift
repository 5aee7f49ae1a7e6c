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
    private var bytes: [IndexTerm] = []
    /// Lengths of the prefixes numbered, in increasing order.
    private(set) var prefixLengths: [Int] = []

    /// How many terms and prefixes are numbered.
    var count: Int { bytes.count }

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
        if let id = byHash.value(for: hash) {
            if bytes[Int(id)] == term { return id }
            if let id = collided[term] { return id }
            let id = Int32(bytes.count)
            bytes.append(term)
            collided[term] = id
            return id
        }
        let id = Int32(bytes.count)
        bytes.append(term)
        byHash.insert(id, for: hash)
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
        guard let id = byHash.value(for: hash) else { return nil }
        let same = bytes[Int(id)].bytes.withUnsafeBufferPointer { known in
            known.count == term.count
                && (term.isEmpty
                    || memcmp(known.baseAddress!, term.base.baseAddress! + term.startIndex, term.count) == 0)
        }
        if same { return id }
        return collided.isEmpty ? nil : collided[IndexTerm(Array(term))]
    }

    /// Hashes to numbers: linear probing in a power-of-two table kept at most half full.
    private struct HashTable: Sendable {
        private var hashes = [UInt64](repeating: 0, count: 16)
        private var values = [Int32](repeating: 0, count: 16)
        private var count = 0

        func value(for hash: UInt64) -> Int32? {
            let key = hash == 0 ? 1 : hash
            let mask = hashes.count - 1
            var slot = Int(truncatingIfNeeded: key >> 7) & mask
            while hashes[slot] != 0 {
                if hashes[slot] == key { return values[slot] }
                slot = (slot + 1) & mask
            }
            return nil
        }

        mutating func insert(_ value: Int32, for hash: UInt64) {
            if (count + 1) * 2 > hashes.count { grow() }
            let key = hash == 0 ? 1 : hash
            let mask = hashes.count - 1
            var slot = Int(truncatingIfNeeded: key >> 7) & mask
            while hashes[slot] != 0, hashes[slot] != key { slot = (slot + 1) & mask }
            if hashes[slot] == 0 { count += 1 }
            hashes[slot] = key
            values[slot] = value
        }

        private mutating func grow() {
            let old = zip(hashes, values).filter { $0.0 != 0 }
            hashes = [UInt64](repeating: 0, count: hashes.count * 2)
            values = [Int32](repeating: 0, count: values.count * 2)
            count = 0
            for (hash, value) in old { insert(value, for: hash) }
        }
    }

    /// FNV-1a over the bytes, with prefixes hashed apart from whole terms of the same bytes.
    private static func hash(_ bytes: some Collection<UInt8>, prefix: Bool) -> UInt64 {
        FNV1a.hash(bytes, basis: prefix ? 0x8422_2325_CBF2_9CE4 : FNV1a.offsetBasis)
    }
}
