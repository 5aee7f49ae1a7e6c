/// A 64-bit SimHash of a text's word 3-shingles: near-identical texts (a story re-crawled under
/// another URL, or lightly edited by a second outlet) get fingerprints a few bits apart.
///
/// Words are split on ASCII spaces and punctuation only, without the search analysis: copies of a
/// story share their spelling, and this runs for every ingested article.
struct SimHash: Sendable, Hashable {
    var value: UInt64

    /// Texts with fewer shingles than this are too short to compare reliably; they only ever match exactly.
    static let minimumShingles = 20
    /// Fingerprints at most this many bits apart are near-duplicates.
    static let maximumDistance = 3
    /// Bands for candidate lookup: two fingerprints within ``maximumDistance`` bits agree on at
    /// least one of the four 16-bit bands.
    static let bands = 4

    /// Nil when the text is too short to fingerprint.
    init?(text: String) {
        let shingles = Self.shingles(of: text)
        guard shingles.count >= Self.minimumShingles else { return nil }
        // A bit is set when more shingles have it than lack it: counting the ones alone, without a
        // branch, lets the compiler count all 64 bits of a shingle at once.
        var value: UInt64 = 0
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { ones in
            ones.initialize(repeating: 0)
            for shingle in shingles {
                for bit in 0..<64 { ones[bit] &+= UInt32(truncatingIfNeeded: (shingle >> UInt64(bit)) & 1) }
            }
            for bit in 0..<64 where 2 * Int(ones[bit]) > shingles.count { value |= 1 << UInt64(bit) }
        }
        self.value = value
    }

    /// The hashes of the text's word 3-shingles, in order.
    static func shingles(of text: String) -> [UInt64] {
        var words: [UInt64] = []
        var hash = FNV1a()
        var inWord = false
        for byte in text.utf8 {
            // ASCII controls, space, punctuation and symbols separate words; every other byte belongs to one.
            if byte < 0x80 && !(0x30...0x39).contains(byte) && !(0x41...0x5A).contains(byte)
                && !(0x61...0x7A).contains(byte)
            {
                if inWord { words.append(hash.value) }
                hash = FNV1a()
                inWord = false
            } else {
                hash.add(byte)
                inWord = true
            }
        }
        if inWord { words.append(hash.value) }
        guard words.count >= 3 else { return [] }
        return (0..<(words.count - 2)).map { index in
            // Mixing three word hashes into one shingle hash; the multipliers are odd so no bit is lost.
            var shingle = words[index] &* 0x9E37_79B9_7F4A_7C15
            shingle ^= words[index + 1] &* 0xC2B2_AE3D_27D4_EB4F
            shingle ^= words[index + 2] &* 0x1656_67B1_9E37_79F9
            return shingle ^ shingle >> 29
        }
    }

    init(value: UInt64) {
        self.value = value
    }

    func distance(to other: SimHash) -> Int {
        (value ^ other.value).nonzeroBitCount
    }

    /// The 16-bit band `index`, as stored for lookup.
    func band(_ index: Int) -> Int64 {
        Int64((value >> UInt64(16 * index)) & 0xFFFF)
    }
}
