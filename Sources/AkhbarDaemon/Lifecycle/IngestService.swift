import ServiceLifecycle

/// The ingest pipeline: parsing workers, the one writer, and the settling and checkpoint work after
/// bursts. Shut down last, so that what is ready is committed after nothing new can arrive.
struct IngestService: Service {
    let parts: DaemonParts

    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await parts.pipeline.run() }
            // Cancelled is as good as asked: either way the open batch is committed and the rest
            // is left to the next start's reconcile.
            try? await gracefulShutdown()
            await parts.pipeline.finish()
            await group.waitForAll()
        }
        // Subscribers have had every committed article; their streams end now.
        parts.feed.finish()
    }
}
