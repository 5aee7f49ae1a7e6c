import Synchronization

/// A request to stop, raised from one thread and polled by work running on another, such as a
/// walk of the drop folder that cannot be interrupted by task cancellation alone.
final class StopFlag: Sendable {
    private let raised = Atomic(false)

    var isRaised: Bool { raised.load(ordering: .relaxed) }

    func raise() { raised.store(true, ordering: .relaxed) }
}
