#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Distinct byte strings, numbered from 0 in the order first seen and kept end to end in one buffer.
///
/// Counting the words of thousands of articles looks up millions of them: a Swift `String` key
/// allocates and hashes with Unicode normalization, which made counting several times slower than
/// analysing. Here a lookup hashes the bytes and compares them in place.
struct TermInterner: Sendable {
    private var storage: [UInt8] = []
    /// Where each string starts in `storage`, and where the last one ends.
    private var starts: [Int32] = [0]
    /// Open addressing, a power of two long; the bytes are compared only when the hash and the
    /// length agree.
    private var slots = [Slot](repeating: Slot(), count: 1024)

    var count: Int { starts.count - 1 }

    /// The id of `bytes`, numbering it if new.
    mutating func id(of bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let hash = Self.hash(bytes)
        let slot = find(bytes, hash)
        if slots[slot].id > 0 { return slots[slot].id - 1 }
        let id = Int32(count)
        slots[slot] = Slot(hash: hash, id: id + 1, length: Int32(bytes.count))
        storage.append(contentsOf: bytes)
        starts.append(Int32(storage.count))
        if count * 2 > slots.count { grow() }
        return id
    }

    /// The id of `bytes`, or nil if it was never numbered.
    func existingID(of bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        let slot = find(bytes, Self.hash(bytes))
        return slots[slot].id > 0 ? slots[slot].id - 1 : nil
    }

    /// Calls `body` with the bytes of string `id`.
    func withBytes<R>(of id: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let range = Int(starts[Int(id)])..<Int(starts[Int(id) + 1])
        return try storage.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    func string(_ id: Int32) -> String {
        withBytes(of: id) { String(decoding: $0, as: UTF8.self) }
    }

    /// The slot holding `bytes`, or the empty one where they would go.
    private func find(_ bytes: UnsafeBufferPointer<UInt8>, _ hash: UInt64) -> Int {
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot].id > 0 {
            let candidate = slots[slot]
            if candidate.hash == hash, Int(candidate.length) == bytes.count, equals(candidate.id - 1, bytes) {
                return slot
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        return slot
    }

    private func equals(_ id: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let other = bytes.baseAddress else { return true }
        let start = Int(starts[Int(id)])
        return storage.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, other, bytes.count) == 0 }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        for slot in old where slot.id > 0 {
            var index = Int(truncatingIfNeeded: slot.hash) & (slots.count - 1)
            while slots[index].id > 0 { index = (index + 1) & (slots.count - 1) }
            slots[index] = slot
        }
    }

    /// MurmurHash3's 64-bit mixing, eight bytes at a time. Each chunk is mixed before it joins the
    /// state: folding raw chunks into it, as an earlier hash did, let the low-entropy bytes of
    /// Arabic letters cancel out (three pairs of distinct words among 280,000 shared a hash), which
    /// ``WordKeys``, trusting the hash, cannot afford.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        @inline(__always) func mixed(_ chunk: UInt64) -> UInt64 {
            var chunk = chunk &* 0x87C3_7B91_1142_53D5
            chunk = chunk << 31 | chunk >> 33
            return chunk &* 0x4CF5_AD43_2745_937F
        }
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15
        var offset = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while offset + 8 <= bytes.count {
                hash ^= mixed(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                hash = (hash << 27 | hash >> 37) &* 5 &+ 0x52DC_E729
                offset += 8
            }
        }
        var tail: UInt64 = 0
        while offset < bytes.count {
            tail = tail << 8 | UInt64(bytes[offset])
            offset += 1
        }
        hash ^= mixed(tail) ^ UInt64(bytes.count)
        hash ^= hash >> 33
        hash = hash &* 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        hash = hash &* 0xC4CE_B9FE_1A85_EC53
        return hash ^ (hash >> 33)
    }

    private struct Slot: Sendable {
        var hash: UInt64 = 0
        /// The string's id + 1; 0 for an empty slot.
        var id: Int32 = 0
        /// The string's length in bytes.
        var length: Int32 = 0
    }
}
