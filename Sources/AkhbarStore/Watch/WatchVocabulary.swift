/// The index terms and prefixes the watches mention, numbered: an article is reduced to these before
/// any watch is looked at, and conditions compare numbers instead of bytes.
///
/// An article's terms are looked up by a 64-bit hash of their bytes, computed as the analyzer hands
/// them over, so the thousands of terms of an article that no watch mentions cost no allocation.
struct WatchVocabulary: Sendable {
    private var byHash: [UInt64: Int32] = [:]
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
        if let id = byHash[hash] {
            if bytes[Int(id)] == term { return id }
            if let id = collided[term] { return id }
            let id = Int32(bytes.count)
            bytes.append(term)
            collided[term] = id
            return id
        }
        let id = Int32(bytes.count)
        bytes.append(term)
        byHash[hash] = id
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
        guard let id = byHash[hash] else { return nil }
        if bytes[Int(id)].bytes.elementsEqual(term) { return id }
        return collided.isEmpty ? nil : collided[IndexTerm(Array(term))]
    }

    /// FNV-1a over the bytes, with prefixes hashed apart from whole terms of the same bytes.
    private static func hash<Bytes: Collection<UInt8>>(_ bytes: Bytes, prefix: Bool) -> UInt64 {
        var hash: UInt64 = prefix ? 0x84222325_CBF29CE4 : 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01B3
        }
        return hash
    }
}
