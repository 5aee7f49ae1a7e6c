import AkhbarDaemon
import AkhbarProtocol
import AkhbarStore
import Foundation
import Glibc
import Logging
import ServiceLifecycle
import Systemd
import Testing

/// The daemon run in-process as a `Service`: temporary folders, a real drop folder, store and
/// socket, stopped by its service group's graceful shutdown rather than a signal.
@Suite struct InProcessDaemonTests {
    @Test func aGracefulShutdownStopsItWithEveryDroppedFileCommitted() async throws {
        let folder = NSTemporaryDirectory() + "akhbar-inprocess-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let drop = folder + "/drop"
        try FileManager.default.createDirectory(atPath: drop, withIntermediateDirectories: true)
        let configuration = DaemonConfiguration(
            dropFolder: drop, store: folder + "/store.sqlite", socket: folder + "/akhbar.sock")
        var logger = Logger(label: "akhbard")
        logger.logLevel = .warning
        let daemon = Daemon(
            configuration: configuration, notifier: SystemdNotifier(), logger: logger, listenDescriptor: nil,
            reloadConfiguration: { configuration }, applyLogLevel: { _ in })
        let group = ServiceGroup(configuration: .init(services: [.init(service: daemon)], logger: logger))
        let running = Task { try await group.run() }

        let marker = "زيتونةمختبرية"
        let article = "خبر عن \(marker)\n\nقال المتحدث إن الاجتماع ناقش \(marker) وخطة العمل للمرحلة المقبلة.\n"
        try article.write(toFile: drop + "/one.txt", atomically: true, encoding: .utf8)
        // Found through the real socket: the file was watched, parsed, committed and is served.
        let deadline = ContinuousClock.now + .seconds(20)
        var hits = 0
        while hits == 0, ContinuousClock.now < deadline {
            hits = (try? Self.searchHits(socket: configuration.socket, query: marker)) ?? 0
            if hits == 0 { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(hits == 1, "the dropped article was never found through the socket")

        // A second file, then the stop at once: a graceful stop commits what is in hand.
        try article.replacingOccurrences(of: marker, with: marker + "ثان")
            .write(toFile: drop + "/two.txt", atomically: true, encoding: .utf8)
        let stopping = ContinuousClock.now
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(ContinuousClock.now - stopping < .seconds(2), "the stop took too long")
        #expect(!FileManager.default.fileExists(atPath: configuration.socket), "the socket file was left behind")

        // The store is closed and whole: it opens again with the first article.
        // The second is committed or left for the next start's reconcile, never half-written.
        let store = try ArticleStore(path: configuration.store)
        let found = try await store.search(SearchParameters(query: marker, limit: 10, collapse: false))
        #expect(found.map(\.path) == [drop + "/one.txt"])
    }

    /// The number of hits of one `Search` call, over a Unix socket as any client sends it.
    private static func searchHits(socket path: String, query: String) throws -> Int {
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        let call: [String: Any] = [
            "method": "io.akhbar.Articles.Search", "parameters": ["query": query, "limit": 10, "collapse": false],
        ]
        let message = try JSONSerialization.data(withJSONObject: call) + [0]
        _ = message.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        var reply = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !reply.contains(0) {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { throw POSIXError(.ECONNRESET) }
            reply.append(contentsOf: buffer[0..<count])
        }
        let object = try JSONSerialization.jsonObject(with: reply.prefix { $0 != 0 }) as? [String: Any]
        let hits = (object?["parameters"] as? [String: Any])?["hits"] as? [Any]
        return hits?.count ?? 0
    }
}
