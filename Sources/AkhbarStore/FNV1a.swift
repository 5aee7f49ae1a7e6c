/// The 64-bit FNV-1a hash: fast on the short byte runs of words, which is all its callers hash
/// (SimHash's word features, the snippet builder's and the watches' term lookups).
struct FNV1a {
    static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01B3

    private(set) var value: UInt64

    /// Starts from `basis`: another basis hashes the same bytes apart (the watches' prefixes from
    /// their whole terms).
    init(basis: UInt64 = offsetBasis) {
        value = basis
    }

    mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* Self.prime
    }

    static func hash(_ bytes: some Sequence<UInt8>, basis: UInt64 = offsetBasis) -> UInt64 {
        var hash = FNV1a(basis: basis)
        for byte in bytes { hash.add(byte) }
        return hash.value
    }
}
