/// Drop events waiting in one lane of ``IngestQueue``, first in first out, each held once, in
/// about two fifths of the memory of an array and a set of ``DropEvent``s.
///
/// A bulk drop queues every file before the first is parsed: 880,689 files renamed into the folder
/// left 836,000 events waiting after 40 s, and the daemon's resident set grew by about 240 bytes an
/// event (a `String` of the path on the heap, an array slot and a set slot for it), to 289 MB; held
/// here, 96 bytes an event and 192 MB. An event is its path's bytes in a chunk, less the part it
/// shares with the first waiting event's folder (the drop folder's own path, at least), 16 bytes of
/// entry and a few slots of a table of entry numbers. A chunk goes as soon as every event in it is
/// taken, so a draining queue gives its memory back as it goes, for the store's own growth to reuse.
struct PendingEvents {
    private struct Entry {
        /// The number of the chunk holding the path: `firstChunk` is `chunks[0]`.
        var chunk: Int32
        var offset: Int32
        /// Bytes of the chunk after `offset`: the path after its first `shared` bytes.
        var length: Int32
        /// How many of the path's first bytes are ``prefix``'s.
        var shared: UInt16
        var kind: UInt8
    }

    /// The folder of the first event added since the queue was last empty: paths are kept less
    /// the bytes they share with it.
    private var prefix: [UInt8] = []

    /// The paths of the waiting events, one after another, ``chunkSize`` bytes a chunk (or one
    /// longer path alone).
    private var chunks: [[UInt8]] = []
    private var firstChunk = 0
    /// Every event added since the last compaction, the first `head` of them already taken.
    private var entries: [Entry] = []
    private var head = 0
    /// Open addressing over `entries` by path and kind: an entry's number, ``empty``, or
    /// ``removed`` for one taken (so that a search for a later entry goes on past it).
    private var slots: [Int32] = Array(repeating: PendingEvents.empty, count: 16)
    private var used = 0

    private static let empty: Int32 = -1
    private static let removed: Int32 = -2
    /// Small enough for a drained chunk to be reused by other allocations, large enough that the
    /// list of chunks stays short (about a thousand for a million waiting paths).
    static let chunkSize = 64 << 10

    /// Events waiting.
    var count: Int { entries.count - head }

    /// Bytes of path storage held, taken events' included until their chunk goes.
    var heldBytes: Int { chunks.reduce(0) { $0 + $1.capacity } }

    /// Adds `event` at the end; false, changing nothing, when it is already waiting.
    mutating func append(_ event: DropEvent) -> Bool {
        var path = event.path
        let kind = Self.kind(of: event)
        return path.withUTF8 { path in
            if entries.isEmpty {
                // Up to its last slash, a folder path's length at most, so that it fits an entry.
                let folder = path.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 } ?? 0
                prefix = Array(path[..<min(folder, 4096)])
            }
            let shared = sharedLength(path)
            let rest = UnsafeBufferPointer(rebasing: path[shared...])
            var slot = startSlot(shared, rest, kind)
            var reusable: Int?
            while slots[slot] != Self.empty {
                let number = slots[slot]
                if number == Self.removed {
                    if reusable == nil { reusable = slot }
                } else if matches(Int(number), shared, rest, kind) {
                    return false
                }
                slot = (slot + 1) & (slots.count - 1)
            }
            if chunks.isEmpty || chunks[chunks.count - 1].count + rest.count > Self.chunkSize {
                var chunk: [UInt8] = []
                chunk.reserveCapacity(max(Self.chunkSize, rest.count))
                chunks.append(chunk)
            }
            let last = chunks.count - 1
            entries.append(
                Entry(
                    chunk: Int32(firstChunk + last), offset: Int32(chunks[last].count), length: Int32(rest.count),
                    shared: UInt16(shared), kind: kind))
            chunks[last].append(contentsOf: rest)
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
        let event = withRest(of: entry) { rest in
            slots[find(head, Int(entry.shared), rest, entry.kind)] = Self.removed
            return Self.event(String(decoding: prefix[..<Int(entry.shared)] + rest, as: UTF8.self), kind: entry.kind)
        }
        head += 1
        if head == entries.count {
            // Emptied: the memory a burst took goes back at once.
            self = PendingEvents()
            return event
        }
        let next = Int(entries[head].chunk)
        if next > firstChunk {
            chunks.removeFirst(next - firstChunk)
            firstChunk = next
        }
        if head > 1024, head * 2 > entries.count {
            // Taken entries go once they are the greater part: each entry is moved at most once for
            // every entry appended.
            rebuild()
        }
        return event
    }

    /// Drops the taken entries, and lays the table out anew, larger if need be.
    private mutating func rebuild() {
        // A new array, sized to what waits: removed in place, it would keep its largest size.
        entries = Array(entries[head...])
        head = 0
        var size = 16
        while size < entries.count * 4 { size *= 2 }
        slots = Array(repeating: Self.empty, count: size)
        used = entries.count
        for (number, entry) in entries.enumerated() {
            withRest(of: entry) { rest in
                var slot = startSlot(Int(entry.shared), rest, entry.kind)
                while slots[slot] != Self.empty { slot = (slot + 1) & (slots.count - 1) }
                slots[slot] = Int32(number)
            }
        }
    }

    /// How many of `path`'s first bytes are ``prefix``'s.
    private func sharedLength(_ path: UnsafeBufferPointer<UInt8>) -> Int {
        var shared = 0
        while shared < prefix.count, shared < path.count, prefix[shared] == path[shared] { shared += 1 }
        return shared
    }

    /// Calls `body` with the bytes of `entry`'s path after those it shares with ``prefix``.
    private func withRest<Result>(of entry: Entry, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        chunks[Int(entry.chunk) - firstChunk].withUnsafeBufferPointer { chunk in
            body(UnsafeBufferPointer(rebasing: chunk[Int(entry.offset)..<Int(entry.offset) + Int(entry.length)]))
        }
    }

    /// The slot that holds entry `number`, which is waiting. A path is known by how much of
    /// ``prefix`` it shares and the bytes after that, which ``prefix`` (fixed while anything waits)
    /// makes one and the same thing.
    private func find(_ number: Int, _ shared: Int, _ rest: UnsafeBufferPointer<UInt8>, _ kind: UInt8) -> Int {
        var slot = startSlot(shared, rest, kind)
        while slots[slot] != Int32(number) { slot = (slot + 1) & (slots.count - 1) }
        return slot
    }

    private func startSlot(_ shared: Int, _ rest: UnsafeBufferPointer<UInt8>, _ kind: UInt8) -> Int {
        var hasher = Hasher()
        hasher.combine(kind)
        hasher.combine(shared)
        hasher.combine(bytes: UnsafeRawBufferPointer(rest))
        return hasher.finalize() & (slots.count - 1)
    }

    private func matches(_ number: Int, _ shared: Int, _ rest: UnsafeBufferPointer<UInt8>, _ kind: UInt8) -> Bool {
        let entry = entries[number]
        guard entry.kind == kind, Int(entry.shared) == shared, Int(entry.length) == rest.count else { return false }
        return withRest(of: entry) { $0.elementsEqual(rest) }
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
