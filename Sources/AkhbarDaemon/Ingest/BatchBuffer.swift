import AkhbarStore

/// Parsed files waiting for the writer. Bounded: workers wait while it is full, so a burst of
/// files never holds more than `capacity` parsed files in memory.
actor BatchBuffer {
    private var items: [IngestItem] = []
    private let capacity: Int
    private var writerWaiter: CheckedContinuation<[IngestItem], Never>?
    private var producerWaiters: [CheckedContinuation<Void, Never>] = []
    private var finished = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    var count: Int { items.count }

    func put(_ item: IngestItem) async {
        while items.count >= capacity, !finished {
            await withCheckedContinuation { producerWaiters.append($0) }
        }
        items.append(item)
        if let waiter = writerWaiter {
            writerWaiter = nil
            waiter.resume(returning: takeBatch())
        }
    }

    /// Everything buffered, up to `capacity`, waiting for at least one item; empty once finished.
    func take() async -> [IngestItem] {
        if !items.isEmpty || finished { return takeBatch() }
        return await withCheckedContinuation { writerWaiter = $0 }
    }

    func finish() {
        finished = true
        writerWaiter?.resume(returning: takeBatch())
        writerWaiter = nil
        wakeProducers()
    }

    private func takeBatch() -> [IngestItem] {
        let batch = items
        items = []
        wakeProducers()
        return batch
    }

    private func wakeProducers() {
        let waiters = producerWaiters
        producerWaiters = []
        for waiter in waiters { waiter.resume() }
    }
}
