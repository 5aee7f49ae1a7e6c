import Synchronization

/// The configuration in effect, which a reload replaces whole once it has been applied.
final class DaemonSettings: Sendable {
    private let current: Mutex<DaemonConfiguration>

    init(_ configuration: DaemonConfiguration) {
        current = Mutex(configuration)
    }

    var configuration: DaemonConfiguration { current.withLock { $0 } }

    func replace(with next: DaemonConfiguration) {
        current.withLock { $0 = next }
    }
}
