import Testing

@testable import AkhbarDaemon

/// A lane's waiting events come out in the order they went in, each once.
@Suite("Pending drop events")
struct PendingEventsTests {
    @Test("first in, first out; a path waiting already is not added again, another kind of event for it is")
    func orderAndOnce() {
        var pending = PendingEvents()
        let added = [
            pending.append(.file("/d/a")), pending.append(.file("/d/b")), pending.append(.file("/d/a")),
            pending.append(.attributes("/d/a")), pending.append(.tree("/d/a")), pending.append(.file("/d/ا.txt")),
        ]
        #expect(added == [true, true, false, true, true, true])
        #expect(pending.count == 5)
        var taken: [DropEvent] = []
        while let event = pending.popFirst() { taken.append(event) }
        #expect(taken == [.file("/d/a"), .file("/d/b"), .attributes("/d/a"), .tree("/d/a"), .file("/d/ا.txt")])
        #expect(pending.count == 0)
        // Taken, it may wait again.
        let again = pending.append(.file("/d/a"))
        #expect(again)
        let first = pending.popFirst()
        let none = pending.popFirst()
        #expect(first == .file("/d/a"))
        #expect(none == nil)
    }

    @Test("paths are kept less the folder they share, and come back whole, from that folder or not")
    func sharedFolder() {
        var pending = PendingEvents()
        let folder = "/var/lib/akhbar/drop/"
        let name = String(repeating: "n", count: 20)
        var events: [DropEvent] = (0..<10_000).map { .file(folder + name + "\($0 % 10)" + "\($0 / 10)") }
        // Elsewhere, partly shared, shorter than the folder, the folder itself, and in a folder below it.
        events += [
            .file("/srv/other/a.txt"), .file("/var/lib/a.txt"), .tree("/var/lib/akhbar/drop"),
            .tree(folder), .file(folder + "2015/07/x.txt"), .attributes(folder + name + "00"),
        ]
        let added = events.map { pending.append($0) }
        let again = events.map { pending.append($0) }
        #expect(added.allSatisfy { $0 })
        #expect(again.allSatisfy { !$0 })
        #expect(pending.heldBytes <= 10_000 * (name.count + 4) + 2 * PendingEvents.chunkSize)
        var taken: [DropEvent] = []
        while let event = pending.popFirst() { taken.append(event) }
        #expect(taken == events)
    }

    @Test("through growth and compaction, interleaved with taking, it agrees with an array and a set")
    func agreesWithReference() {
        var pending = PendingEvents()
        var reference: [DropEvent] = []
        var waiting: Set<DropEvent> = []
        var generator = SystemRandomNumberGenerator()
        for round in 0..<60_000 {
            // Paths repeat (a file written twice), and take turns with takes, so that the table
            // holds removed slots and the buffer is compacted many times over.
            let path =
                "/drop/\(Int.random(in: 0..<20_000, using: &generator))/"
                + String(repeating: "خ", count: round % 7)
            let event: DropEvent = round % 11 == 0 ? .attributes(path) : .file(path)
            let added = pending.append(event)
            #expect(added == waiting.insert(event).inserted)
            if added { reference.append(event) }
            if round % 3 == 0, !reference.isEmpty {
                let first = reference.removeFirst()
                waiting.remove(first)
                let taken = pending.popFirst()
                #expect(taken == first)
            }
            #expect(pending.count == reference.count)
        }
        var rest: [DropEvent] = []
        while let event = pending.popFirst() { rest.append(event) }
        #expect(rest == reference)
    }

    @Test("a draining lane gives its paths' memory back as it goes, not only once empty")
    func memoryGoesBackWhileDraining() {
        var pending = PendingEvents()
        let path = "/drop/" + String(repeating: "x", count: 94)
        for number in 0..<40_000 { _ = pending.append(.file(path + "\(number)")) }
        let full = pending.heldBytes
        #expect(full >= 40_000 * 94)
        for _ in 0..<30_000 { _ = pending.popFirst() }
        // A quarter waits; at most one chunk more than its paths is held.
        #expect(pending.heldBytes <= full / 4 + 2 * PendingEvents.chunkSize, "\(pending.heldBytes) of \(full)")
        #expect(pending.popFirst() == .file(path + "30000"))
    }
}
