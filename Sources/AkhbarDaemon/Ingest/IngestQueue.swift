/// Drop events waiting to be handled, each queued once however many times the watcher named it.
///
/// Events are dealt to a fixed lane by path, so two versions of one file are never read by two
/// workers at once and committed out of order. The queue holds paths only, compactly
/// (``PendingEvents``: a bulk drop can queue hundreds of thousands before the first is read); file
/// contents are read by the workers, whose output is bounded by ``BatchBuffer``. A task waiting on
/// it that is cancelled stops waiting at once, as if the queue had finished.
actor IngestQueue {
    private struct Lane {
        var pending = PendingEvents()
        var waiter: CheckedContinuation<DropEvent?, Never>?
    }

    private var lanes: [Lane]
    private var finished = false
    /// Events accepted and not yet committed or dropped.
    private var outstanding = 0
    private var idleWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextIdleWaiter = 0

    init(lanes: Int) {
        self.lanes = Array(repeating: Lane(), count: max(lanes, 1))
    }

    var laneCount: Int { lanes.count }

    /// Events waiting or in progress.
    var depth: Int { outstanding }

    /// Nothing waiting or in progress, and not shutting down: the moment for maintenance.
    var isIdle: Bool { outstanding == 0 && !finished }

    func add(_ event: DropEvent) {
        guard !finished else { return }
        let index = Self.lane(of: event, among: lanes.count)
        // A lane's worker waits only when nothing is pending there.
        if let waiter = lanes[index].waiter {
            lanes[index].waiter = nil
            outstanding += 1
            waiter.resume(returning: event)
        } else if lanes[index].pending.append(event) {
            outstanding += 1
        }
    }

    /// The next event of a lane, waiting for one; nil once the queue is finished.
    func next(lane index: Int) async -> DropEvent? {
        // What is still queued at a stop is left for the next start's reconcile: a stop waits for
        // the files in hand, not for a backlog of thousands.
        if finished || Task.isCancelled { return nil }
        if let event = lanes[index].pending.popFirst() { return event }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { lanes[index].waiter = $0 }
        } onCancel: {
            Task { await self.release(lane: index) }
        }
    }

    /// Ends a cancelled worker's wait (one worker takes from a lane).
    private func release(lane index: Int) {
        lanes[index].waiter?.resume(returning: nil)
        lanes[index].waiter = nil
    }

    /// Marks events as fully handled (committed, or nothing to do).
    func complete(_ count: Int) {
        outstanding -= count
        if outstanding <= 0 {
            outstanding = 0
            let waiters = idleWaiters
            idleWaiters = [:]
            for waiter in waiters.values { waiter.resume() }
        }
    }

    /// Returns once every accepted event has been handled, or the task is cancelled.
    func idle() async {
        if outstanding == 0 || Task.isCancelled { return }
        let id = nextIdleWaiter
        nextIdleWaiter += 1
        await withTaskCancellationHandler {
            await withCheckedContinuation { idleWaiters[id] = $0 }
        } onCancel: {
            Task { await self.releaseIdle(id) }
        }
    }

    private func releaseIdle(_ id: Int) {
        idleWaiters.removeValue(forKey: id)?.resume()
    }

    /// Stops handing out events; waiting workers get nil.
    func finish() {
        finished = true
        for index in lanes.indices {
            lanes[index].waiter?.resume(returning: nil)
            lanes[index].waiter = nil
        }
        for waiter in idleWaiters.values { waiter.resume() }
        idleWaiters = [:]
    }

    private static func lane(of event: DropEvent, among count: Int) -> Int {
        // Hasher is seeded per process, which is fine: lanes only need to be stable while running.
        var hasher = Hasher()
        hasher.combine(event.path)
        return Int(UInt(bitPattern: hasher.finalize()) % UInt(count))
    }
}
