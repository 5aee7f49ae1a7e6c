import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import Systemd

/// Once the daemon is ready, keeps the service manager's status line current and feeds the
/// watchdog, but only while both the ingest pipeline and the socket's event loops are making
/// progress: a wedged writer or event loop stops the pings, and systemd restarts the daemon.
struct Heartbeat: Service {
    let notifier: any ServiceNotifying
    let status: DaemonStatus
    let pipeline: IngestPipeline
    let readiness: Readiness
    let logger: Logger
    /// How long a single commit may take before the writer counts as wedged.
    var writerLimit: Duration = .seconds(60)

    func run() async {
        await cancelWhenGracefulShutdown {
            await readiness.wait()
            await beat()
        }
    }

    private func beat() async {
        let interval = min(notifier.watchdogInterval ?? .seconds(2), .seconds(2))
        var lastLine = ""
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { return }
            let line = await status.statusLine()
            if line != lastLine {
                notifier.status(line)
                lastLine = line
            }
            guard notifier.watchdogInterval != nil else { continue }
            if let problem = await health() {
                logger.error("withholding the watchdog ping", metadata: ["reason": "\(problem)"])
            } else {
                notifier.watchdog()
            }
        }
    }

    /// Nil when healthy, else what is stuck.
    ///
    /// Commits that fail and are retried (a full disk, a read-only store) do not count: a restart
    /// fixes neither, and would stop the queries that still work and drop the queue the retries
    /// keep. They are a problem in the status line and in `Stats` instead, for as long as they last.
    private func health() async -> String? {
        if let since = pipeline.writingSince, ContinuousClock.now - since > writerLimit {
            return "a commit has been running for over \(writerLimit)"
        }
        // Every event loop must run a trivial task promptly. A flag rather than a future, because
        // waiting on a future of a stuck loop would wedge the heartbeat with it.
        for loop in MultiThreadedEventLoopGroup.singleton.makeIterator() {
            let answered = Flag()
            loop.execute { answered.value.store(true, ordering: .releasing) }
            let deadline = ContinuousClock.now + .seconds(5)
            while !answered.value.load(ordering: .acquiring) {
                if ContinuousClock.now > deadline { return "an event loop does not answer" }
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        return nil
    }
}

/// A flag an event loop can raise from its own thread.
private final class Flag: Sendable {
    let value = Atomic<Bool>(false)
}
