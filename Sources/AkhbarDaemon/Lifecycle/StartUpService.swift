import Logging
import ServiceLifecycle

/// The start-up reconcile and ingest, then READY: the daemon says it is ready once the files that
/// arrived while it was down are searchable. Throws, failing the start, when nothing can be
/// ingested: a drop folder that cannot be watched, a store whose commits fail. A graceful shutdown
/// ends it at any point; the next start reconciles again.
struct StartUpService: Service {
    let parts: DaemonParts
    /// How the daemon is reached, for the log line that says it is ready.
    let socketFlag: String

    func run() async throws {
        let failure = await cancelWhenGracefulShutdown { await startUp() }
        if let failure {
            parts.logger.error("cannot start: \(failure)", metadata: ["reason": "\(failure)"])
            parts.notifier.status("cannot start: \(failure)")
            throw DaemonError(failure)
        }
        // A stop during the start-up ingest is no failure, and no time to say READY.
        if Task.isCancelled || Task.isShuttingDownGracefully { return }
        parts.readiness.markReady()
        let line = await parts.status.statusLine()
        parts.notifier.ready(status: line)
        parts.logger.info("ready; query with: akhbar\(socketFlag) search WORDS", metadata: ["status": "\(line)"])
    }

    /// Why nothing can be ingested, or nil once the start-up ingest is done (or stopped).
    private func startUp() async -> String? {
        let session = parts.drop.session
        do {
            try await session.reconciler.reconcile(reason: "start")
        } catch {
            if Task.isCancelled { return nil }
            return "cannot reconcile the drop folder \(session.watcher.root) with the store: \(error)"
        }
        if session.watcher.watchedFolders == 0 {
            // The watcher reports why through its notices, which the drop folder's service turns
            // into a problem: give it a moment to, for the message.
            let key = DaemonStatus.Key.watch(session.watcher.root)
            for _ in 0..<50 where parts.status.message(of: key) == nil {
                try? await Task.sleep(for: .milliseconds(20))
            }
            return parts.status.message(of: key) ?? "cannot watch the drop folder \(session.watcher.root)"
        }
        if let failure = await waitUntilIdle() { return "cannot write to the store: \(failure)" }
        return nil
    }

    /// Waits for the first reconcile's files to be committed, telling systemd that the start is
    /// taking long but progressing. Returns the error when commits fail instead.
    private func waitUntilIdle() async -> String? {
        let pipeline = parts.pipeline
        let notifier = parts.notifier
        return await withTaskGroup(of: String?.self) { group in
            group.addTask {
                await pipeline.queue.idle()
                return nil
            }
            group.addTask {
                var lastReport = ContinuousClock.now
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(100))
                    if Task.isCancelled { return nil }
                    if let failure = pipeline.commitFailure { return failure.reason }
                    if ContinuousClock.now - lastReport >= .seconds(5) {
                        lastReport = .now
                        notifier.extendTimeout(seconds: 30)
                        notifier.status("starting: \(await pipeline.depth()) files left to ingest")
                    }
                }
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
