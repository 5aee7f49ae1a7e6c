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
    /// Open addressing, a power of two long. A slot holds what a lookup needs, so a probe reads one
    /// cache line, and the bytes only when 32 bits of the hash agree.
    private var slots = [Slot](repeating: Slot(), count: 1024)

    var count: Int { starts.count - 1 }

    /// The id of `bytes`, numbering it if new.
    mutating func id(of bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let hash = Self.hash(bytes)
        let slot = find(bytes, hash)
        if slots[slot].id > 0 { return slots[slot].id - 1 }
        let id = Int32(count)
        slots[slot] = Slot(
            tag: UInt32(truncatingIfNeeded: hash >> 32), id: id + 1, start: starts[Int(id)], length: Int32(bytes.count))
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
        let tag = UInt32(truncatingIfNeeded: hash >> 32)
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot].id > 0 {
            let candidate = slots[slot]
            if candidate.tag == tag, equals(candidate, bytes) { return slot }
            slot = (slot + 1) & (slots.count - 1)
        }
        return slot
    }

    private func equals(_ slot: Slot, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard Int(slot.length) == bytes.count else { return false }
        guard let other = bytes.baseAddress else { return true }
        return storage.withUnsafeBufferPointer { memcmp($0.baseAddress! + Int(slot.start), other, bytes.count) == 0 }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        for slot in old where slot.id > 0 {
            let hash = withBytes(of: slot.id - 1) { Self.hash($0) }
            var index = Int(truncatingIfNeeded: hash) & (slots.count - 1)
            while slots[index].id > 0 { index = (index + 1) & (slots.count - 1) }
            slots[index] = slot
        }
    }

    /// Eight bytes at a time, each step a multiply and a fold: words are short, and the byte-wise
    /// FNV-1a this replaced was a tenth of a tally.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return hash }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 32
            offset += 8
        }
        var tail: UInt64 = 0
        while offset < bytes.count {
            tail = tail << 8 | UInt64(bytes[offset])
            offset += 1
        }
        hash = (hash ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return hash ^ (hash >> 29)
    }

    private struct Slot: Sendable {
        /// High bits of the hash.
        var tag: UInt32 = 0
        /// The string's id + 1; 0 for an empty slot.
        var id: Int32 = 0
        /// Where the string is in `storage`.
        var start: Int32 = 0
        var length: Int32 = 0
    }
}
