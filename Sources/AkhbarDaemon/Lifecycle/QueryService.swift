import ServiceLifecycle

/// The query server on the Unix socket. On a graceful shutdown it stops accepting, says STOPPING
/// to the service manager and ends the open connections; should it stop accepting on its own, it
/// throws, which stops the daemon with a failure: ingesting on with no client able to reach the
/// daemon would go unnoticed, and a failed exit makes systemd restart it, listening afresh.
struct QueryService: Service {
    let server: QueryServer
    let parts: DaemonParts

    func run() async throws {
        let (stopped, report) = AsyncStream.makeStream(of: String.self)
        let failure: String? = await withTaskGroup(of: Void.self) { connections in
            connections.addTask { await server.run { report.yield($0) } }
            let failure = await withTaskGroup(of: String?.self) { race in
                race.addTask {
                    try? await gracefulShutdown()
                    return nil
                }
                race.addTask { await stopped.first { _ in true } }
                defer { race.cancelAll() }
                return await race.next() ?? nil
            }
            // Told only once nobody can connect any more, so that a client refused from here on
            // sees a daemon that said it is stopping.
            await server.close()
            parts.notifier.stopping()
            connections.cancelAll()
            return failure
        }
        report.finish()
        guard let failure else { return }
        parts.logger.error(
            "the query server stopped accepting connections; stopping", metadata: ["reason": "\(failure)"])
        parts.status.raise(.queryServer, "the query server stopped: \(failure)")
        parts.notifier.status(await parts.status.statusLine())
        throw DaemonError("the query server stopped accepting connections: \(failure)")
    }
}
