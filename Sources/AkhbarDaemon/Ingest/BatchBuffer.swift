import AkhbarStore

/// Parsed files waiting for the writer, and the batches it takes from them.
///
/// Bounded by count and by bytes of text: workers wait while it is full, so a burst never holds
/// more than `capacity` files or about `byteLimit` bytes in memory, and one transaction never
/// grows past either (a single file over `byteLimit` still goes, alone). A cancelled task stops
/// waiting at once: a worker hands its file over anyway (nothing is dropped; the bound is passed
/// by at most one file a worker), and the writer gets an empty batch, its sign to stop.
actor BatchBuffer {
    /// 32 MiB: the writer commits about 1,600 articles/s at 200,000 articles (`bench/README.md`),
    /// each counting about 6.4 kB here (3.2 kB of title and text, in the body and again in the
    /// original), some 10 MB/s; so a full batch commits in about 3 s, far inside the 60 s after
    /// which the watchdog counts a commit as stuck, and 512 files near the 10 MiB size limit (5 GB)
    /// can no longer make a transaction that outlasts it, rolls back and repeats after every restart.
    static let defaultByteLimit = 32 << 20

    private var items: [IngestItem] = []
    private var bytes = 0
    private let capacity: Int
    private let byteLimit: Int
    private var writerWaiter: CheckedContinuation<[IngestItem], Never>?
    private var producerWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextProducer = 0
    private var finished = false

    init(capacity: Int, byteLimit: Int = defaultByteLimit) {
        self.capacity = max(capacity, 1)
        self.byteLimit = max(byteLimit, 1)
    }

    var count: Int { items.count }

    /// The text held, by ``IngestItem/byteCount``.
    var bufferedBytes: Int { bytes }

    /// Adds a parsed file, waiting while the buffer is full. An empty buffer takes any file.
    func put(_ item: IngestItem) async {
        let cost = item.byteCount
        while !finished, !Task.isCancelled, !items.isEmpty, items.count >= capacity || bytes + cost > byteLimit {
            let id = nextProducer
            nextProducer += 1
            await withTaskCancellationHandler {
                await withCheckedContinuation { producerWaiters[id] = $0 }
            } onCancel: {
                Task { await self.releaseProducer(id) }
            }
        }
        items.append(item)
        bytes += cost
        if let waiter = writerWaiter {
            writerWaiter = nil
            waiter.resume(returning: takeBatch())
        }
    }

    /// The next batch: every file buffered, which is at most `capacity` files and `byteLimit` bytes
    /// (or one larger file), waiting for at least one; empty once finished and drained.
    func take() async -> [IngestItem] {
        if !items.isEmpty || finished { return takeBatch() }
        if Task.isCancelled { return [] }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { writerWaiter = $0 }
        } onCancel: {
            Task { await self.releaseWriter() }
        }
    }

    private func releaseWriter() {
        writerWaiter?.resume(returning: [])
        writerWaiter = nil
    }

    private func releaseProducer(_ id: Int) {
        producerWaiters.removeValue(forKey: id)?.resume()
    }

    func finish() {
        finished = true
        writerWaiter?.resume(returning: takeBatch())
        writerWaiter = nil
        wakeProducers()
    }

    /// Takes what fits in one batch. After ``finish()`` producers no longer wait, so the buffer can
    /// then hold more than a batch: the writer takes it a batch at a time.
    private func takeBatch() -> [IngestItem] {
        var taken = 0
        var takenBytes = 0
        for item in items {
            let cost = item.byteCount
            if taken > 0, taken >= capacity || takenBytes + cost > byteLimit { break }
            taken += 1
            takenBytes += cost
        }
        let batch = Array(items.prefix(taken))
        items.removeFirst(taken)
        bytes -= takenBytes
        wakeProducers()
        return batch
    }

    private func wakeProducers() {
        let waiters = producerWaiters
        producerWaiters = [:]
        for waiter in waiters.values { waiter.resume() }
    }
}
