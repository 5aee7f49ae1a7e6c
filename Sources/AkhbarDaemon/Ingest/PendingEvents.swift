/// Drop events waiting in one lane of ``IngestQueue``, first in first out, each held once, in
/// about two fifths of the memory of an array and a set of ``DropEvent``s.
///
/// A bulk drop queues every file before the first is parsed: 880,689 files renamed into the folder
/// left 836,000 events waiting after 40 s, and the daemon's resident set grew by about 240 bytes an
/// event (a `String` of the path on the heap, an array slot and a set slot for it), to 289 MB; held
/// here, 96 bytes an event and 192 MB. An event is its path's bytes in one buffer, 16 bytes of
/// entry and a few slots of a table of entry numbers.
struct PendingEvents {
    private struct Entry {
        var offset: Int
        var length: Int32
        var kind: UInt8
    }

    /// The paths of the waiting events, one after another.
    private var bytes: [UInt8] = []
    /// Every event added since the last compaction, the first `head` of them already taken.
    private var entries: [Entry] = []
    private var head = 0
    /// Open addressing over `entries` by path and kind: an entry's number, ``empty``, or
    /// ``removed`` for one taken (so that a search for a later entry goes on past it).
    private var slots: [Int32] = Array(repeating: PendingEvents.empty, count: 16)
    private var used = 0

    private static let empty: Int32 = -1
    private static let removed: Int32 = -2

    /// Events waiting.
    var count: Int { entries.count - head }

    /// Adds `event` at the end; false, changing nothing, when it is already waiting.
    mutating func append(_ event: DropEvent) -> Bool {
        var path = event.path
        let kind = Self.kind(of: event)
        return path.withUTF8 { path in
            var slot = startSlot(path, kind)
            var reusable: Int?
            while slots[slot] != Self.empty {
                let number = slots[slot]
                if number == Self.removed {
                    if reusable == nil { reusable = slot }
                } else if matches(Int(number), path, kind) {
                    return false
                }
                slot = (slot + 1) & (slots.count - 1)
            }
            entries.append(Entry(offset: bytes.count, length: Int32(path.count), kind: kind))
            bytes.append(contentsOf: path)
            if let reusable {
                slots[reusable] = Int32(entries.count - 1)
            } else {
                slots[slot] = Int32(entries.count - 1)
                used += 1
            }
            // At most half full, tombstones counted, so that searches stay short.
            if used * 2 > slots.count { rebuild() }
            return true
        }
    }

    /// Takes the oldest waiting event.
    mutating func popFirst() -> DropEvent? {
        guard head < entries.count else { return nil }
        let entry = entries[head]
        let event = bytes.withUnsafeBufferPointer { all in
            let path = UnsafeBufferPointer(rebasing: all[entry.offset..<entry.offset + Int(entry.length)])
            slots[find(head, path, entry.kind)] = Self.removed
            return Self.event(String(decoding: path, as: UTF8.self), kind: entry.kind)
        }
        head += 1
        if head == entries.count {
            // Emptied: the memory a burst took goes back at once.
            self = PendingEvents()
        } else if head > 1024, head * 2 > entries.count {
            // Taken entries and their bytes go once they are the greater part: each byte is moved
            // at most once for every byte appended.
            rebuild()
        }
        return event
    }

    /// Drops the taken entries and their bytes, and lays the table out anew, larger if need be.
    private mutating func rebuild() {
        let waiting = entries[head...]
        let start = waiting.first?.offset ?? bytes.count
        // In place, keeping the capacity until the lane empties: a new array each time made the
        // 1M drop's peak 221 MB instead of 192 MB, as malloc kept the freed ones.
        bytes.removeFirst(start)
        entries = waiting.map { Entry(offset: $0.offset - start, length: $0.length, kind: $0.kind) }
        head = 0
        var size = 16
        while size < entries.count * 4 { size *= 2 }
        slots = Array(repeating: Self.empty, count: size)
        used = entries.count
        bytes.withUnsafeBufferPointer { all in
            for (number, entry) in entries.enumerated() {
                let path = UnsafeBufferPointer(rebasing: all[entry.offset..<entry.offset + Int(entry.length)])
                var slot = startSlot(path, entry.kind)
                while slots[slot] != Self.empty { slot = (slot + 1) & (slots.count - 1) }
                slots[slot] = Int32(number)
            }
        }
    }

    /// The slot that holds entry `number`, which is waiting.
    private func find(_ number: Int, _ path: UnsafeBufferPointer<UInt8>, _ kind: UInt8) -> Int {
        var slot = startSlot(path, kind)
        while slots[slot] != Int32(number) { slot = (slot + 1) & (slots.count - 1) }
        return slot
    }

    private func startSlot(_ path: UnsafeBufferPointer<UInt8>, _ kind: UInt8) -> Int {
        var hasher = Hasher()
        hasher.combine(kind)
        hasher.combine(bytes: UnsafeRawBufferPointer(path))
        return hasher.finalize() & (slots.count - 1)
    }

    private func matches(_ number: Int, _ path: UnsafeBufferPointer<UInt8>, _ kind: UInt8) -> Bool {
        let entry = entries[number]
        guard entry.kind == kind, Int(entry.length) == path.count else { return false }
        return bytes.withUnsafeBufferPointer { all in
            all[entry.offset..<entry.offset + path.count].elementsEqual(path)
        }
    }

    private static func kind(of event: DropEvent) -> UInt8 {
        switch event {
        case .file: 0
        case .tree: 1
        case .attributes: 2
        }
    }

    private static func event(_ path: String, kind: UInt8) -> DropEvent {
        switch kind {
        case 1: .tree(path)
        case 2: .attributes(path)
        default: .file(path)
        }
    }
}
