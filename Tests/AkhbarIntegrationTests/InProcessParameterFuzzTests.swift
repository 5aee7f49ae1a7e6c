import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// Every method of the socket, called with parameters no client should send: each call gets a
/// well-formed reply, and the daemon answers normally afterwards.
///
/// The daemon runs in the test's process (``withInProcessDaemon``); what blocks waits on a thread
/// of its own.
@Suite("Parameter fuzzing")
struct InProcessParameterFuzzTests {
    @Test("every method answers hostile parameters with a result or an error, and the daemon lives on")
    func fuzz() async throws {
        try await withInProcessDaemon(seeds: true) { daemon in
            await daemon.eventually("the seeds ingested") { try await daemon.stats().articles == 5 }
            let cases = ParameterFuzz.cases(seed: 0xA4B8_A5D0)
            var silent = 0
            var errors: [String: Int] = [:]
            let clock = ContinuousClock()
            let start = clock.now
            for (number, call) in cases.enumerated() {
                let socket = try RawSocket(path: daemon.sandbox.socket, timeout: call.maySayNothing ? 0.2 : 10)
                defer { socket.close() }
                guard let message = try await onOwnThread({ socket.firstReply(to: Data(call.message.utf8) + [0]) })
                else {
                    if call.maySayNothing {
                        silent += 1
                        continue
                    }
                    Issue.record("case \(number): no reply to \(call.message.prefix(300))\nin-process daemon")
                    #expect(daemon.isRunning, "akhbard died on case \(number)")
                    return
                }
                let object = try? JSONSerialization.jsonObject(with: Data(message.utf8)) as? [String: Any]
                if let name = object?["error"] as? String {
                    errors[name, default: 0] += 1
                    #expect(
                        object?["parameters"] == nil || object?["parameters"] is [String: Any],
                        "case \(number): \(message)")
                } else {
                    #expect(
                        object?["parameters"] is [String: Any],
                        "case \(number): \(call.message.prefix(300)) got \(message.prefix(300))")
                }
            }
            let elapsed = clock.now - start
            print("fuzz: \(cases.count) calls in \(elapsed), \(silent) silent subscriptions, errors: \(errors)")
            #expect(daemon.isRunning, "akhbard died: in-process daemon")
            let stats = try await daemon.stats()
            let hits = try await daemon.search("ليبيا")
            #expect(stats.articles == 5)
            #expect(!hits.isEmpty)
            // The cases must reach the parameters, not stop at the envelope.
            #expect(errors["org.varlink.service.InvalidParameter", default: 0] > 50, "\(errors)")
        }
    }
}
