import AkhbarStore
import Articles
import Testing

@testable import AkhbarDaemon

/// The buffer between the parsing workers and the writer bounds a batch, and what waits in
/// memory, by file count and by bytes of text.
@Suite("Batch buffer")
struct BatchBufferTests {
    /// A parsed one-article file whose text (title, body and original) is about `bytes` long.
    private func file(_ name: String, bytes: Int) -> IngestItem {
        let body = String(repeating: "ن", count: max(bytes / 4, 1))  // two bytes a letter, in body and original
        let article = Article(title: "خبر", body: body, original: body)
        return .parsed(
            path: name, stamp: FileStamp(inode: 1, size: Int64(bytes), mtime: 1),
            file: PreparedFile(DropFile(items: [.init(position: 0, content: .article(article))])))
    }

    private func path(of item: IngestItem) -> String {
        switch item {
        case .parsed(let path, _, _), .rejected(let path, _, _), .gone(let path, _): path
        }
    }

    @Test("an item's size is the UTF-8 text of its articles and its path")
    func byteCount() {
        let article = Article(title: "خبر", body: "نص", original: "خبر\nنص")
        let item = IngestItem.parsed(
            path: "/d/a.txt", stamp: FileStamp(inode: 1, size: 1, mtime: 1),
            file: PreparedFile(DropFile(items: [.init(position: 0, content: .article(article))])))
        #expect(item.byteCount == "/d/a.txt".utf8.count + 6 + 4 + 11)
        #expect(IngestItem.gone(path: "/d/x", tree: false).byteCount == 4)
        let rejected = IngestItem.rejected(path: "/d/x", stamp: FileStamp(inode: 1, size: 1, mtime: 1), reason: "empty")
        #expect(rejected.byteCount == 9)
    }

    @Test("batches stop at the byte limit, in order, and the buffer never holds more")
    func byteLimit() async {
        let limit = 10_000
        let buffer = BatchBuffer(capacity: 512, byteLimit: limit)
        let items = (0..<12).map { file("f\($0)", bytes: 3_000) }
        let producer = Task {
            for item in items { await buffer.put(item) }
        }
        var batches: [[IngestItem]] = []
        while batches.joined().count < items.count {
            let batch = await buffer.take()
            batches.append(batch)
            #expect(await buffer.bufferedBytes <= limit)
        }
        await producer.value
        #expect(batches.joined().map(path) == items.map(path))
        for batch in batches {
            let bytes = batch.map(\.byteCount).reduce(0, +)
            #expect(bytes <= limit, "a batch of \(batch.count) files holds \(bytes) bytes")
        }
        #expect(batches.contains { $0.count == 3 }, "batches never filled up to the limit: \(batches.map(\.count))")
    }

    @Test("a file over the byte limit is a batch of its own")
    func oversizedItemAlone() async {
        let buffer = BatchBuffer(capacity: 512, byteLimit: 1_000)
        let small = file("small", bytes: 400)
        let big = file("big", bytes: 5_000)
        let after = file("after", bytes: 400)
        let producer = Task {
            for item in [small, big, after] { await buffer.put(item) }
        }
        #expect(await buffer.take().map(path) == ["small"])
        #expect(await buffer.take().map(path) == ["big"])
        #expect(await buffer.take().map(path) == ["after"])
        await producer.value
    }

    @Test("the file count still caps a batch of small files")
    func countLimit() async {
        let buffer = BatchBuffer(capacity: 3, byteLimit: 1 << 20)
        let producer = Task {
            for number in 0..<7 { await buffer.put(.gone(path: "g\(number)", tree: false)) }
        }
        var sizes: [Int] = []
        while sizes.reduce(0, +) < 7 {
            sizes.append(await buffer.take().count)
        }
        await producer.value
        #expect(sizes.allSatisfy { $0 <= 3 }, "\(sizes)")
    }

    @Test("after finish the writer drains what is left a batch at a time, then gets nothing")
    func finishDrains() async {
        let buffer = BatchBuffer(capacity: 512, byteLimit: 1_000)
        await buffer.put(file("a", bytes: 600))
        await buffer.finish()
        await buffer.put(file("b", bytes: 600))
        #expect(await buffer.take().map(path) == ["a"])
        #expect(await buffer.take().map(path) == ["b"])
        #expect(await buffer.take().isEmpty)
    }

    @Test("a cancelled writer stops waiting with an empty batch", .timeLimit(.minutes(1)))
    func cancelledTake() async {
        let buffer = BatchBuffer(capacity: 3)
        let writer = Task { await buffer.take() }
        writer.cancel()
        #expect(await writer.value.isEmpty)
        // The buffer still works for the next writer.
        await buffer.put(file("a", bytes: 10))
        #expect(await buffer.take().map(path) == ["a"])
    }

    @Test("a cancelled worker stops waiting on a full buffer and hands its file over", .timeLimit(.minutes(1)))
    func cancelledPut() async {
        let buffer = BatchBuffer(capacity: 1)
        await buffer.put(file("a", bytes: 10))
        // Cancelled before or while it waits on the full buffer, the worker returns with its file in.
        let worker = Task { await buffer.put(file("b", bytes: 10)) }
        worker.cancel()
        await worker.value
        #expect(await buffer.count == 2)
        #expect(await buffer.take().map(path) == ["a"])
        #expect(await buffer.take().map(path) == ["b"])
    }
}

/// Workers and the idle wait end at once when their task is cancelled, as at a stop.
@Suite("Ingest queue")
struct IngestQueueTests {
    @Test("a cancelled worker gets no event; the lane still works", .timeLimit(.minutes(1)))
    func cancelledNext() async {
        let queue = IngestQueue(lanes: 1)
        let worker = Task { await queue.next(lane: 0) }
        worker.cancel()
        #expect(await worker.value == nil)
        await queue.add(.file("/d/a.txt"))
        #expect(await queue.next(lane: 0) == .file("/d/a.txt"))
    }

    @Test("a cancelled idle wait returns; another wait still ends when the work is done", .timeLimit(.minutes(1)))
    func cancelledIdle() async {
        let queue = IngestQueue(lanes: 1)
        await queue.add(.file("/d/a.txt"))
        let cancelled = Task { await queue.idle() }
        cancelled.cancel()
        await cancelled.value
        #expect(await queue.depth == 1)
        let waiting = Task { await queue.idle() }
        _ = await queue.next(lane: 0)
        await queue.complete(1)
        await waiting.value
        #expect(await queue.depth == 0)
    }
}
