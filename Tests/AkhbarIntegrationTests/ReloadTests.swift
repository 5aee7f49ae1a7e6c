import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// SIGHUP re-reads the config file: the drop folder, the size limit and the log level
/// change at once; a bad file keeps the running settings and says why.
@Suite("Reloading the configuration")
struct ReloadTests {
    @Test("SIGHUP moves the drop folder, applies the size limit, and survives a bad file until a good one")
    func reload() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let first = sandbox.root.appendingPathComponent("first")
        let second = sandbox.root.appendingPathComponent("second")
        let config = sandbox.root.appendingPathComponent("akhbard.conf")
        try "# written by the test\ndrop = \(first.path)\n".write(to: config, atomically: true, encoding: .utf8)
        let daemon = try Daemon(
            sandbox, arguments: ["--config", config.path, "--store", sandbox.store.path, "--socket", sandbox.socket])
        defer { daemon.stop() }
        try daemon.waitUntilAnswering()

        _ = try sandbox.write(
            SampleArticle.text(title: "firstfoldermarker"), to: first.appendingPathComponent("one.txt"))
        daemon.eventually("a file in the first folder is found") { try !daemon.search("firstfoldermarker").isEmpty }

        try "drop = \(second.path)\nmax-file-size = 100\n".write(to: config, atomically: true, encoding: .utf8)
        daemon.process.send(SIGHUP)
        daemon.eventually("the daemon watches the second folder") { try daemon.stats().dropFolder == second.path }

        _ = try sandbox.write(
            SampleArticle.text(title: "secondfoldermarker"), to: second.appendingPathComponent("big.txt"))
        daemon.eventually("the new size limit rejects a file over 100 bytes") {
            let rejections = try daemon.call(.rejections, LimitParameters(limit: 50), returning: RejectionsReply.self)
                .rejections
            return rejections.contains { $0.path.hasSuffix("/second/big.txt") && $0.reason.contains("too large") }
        }
        _ = try sandbox.write(
            SampleArticle.text(title: "stalefoldermarker"), to: first.appendingPathComponent("two.txt"))
        // A barrier: a file written after it into the watched folder has been handled (rejected, by
        // the new size limit) and the queue is empty, so the old folder's file would have been by now.
        _ = try sandbox.write(
            SampleArticle.text(title: "barrierfoldermarker"), to: second.appendingPathComponent("barrier.txt"))
        daemon.eventually("the barrier file is handled and the queue empty") {
            let rejections = try daemon.call(.rejections, LimitParameters(limit: 50), returning: RejectionsReply.self)
                .rejections
            return try daemon.stats().queued == 0 && rejections.contains { $0.path.hasSuffix("/second/barrier.txt") }
        }
        #expect(try daemon.search("stalefoldermarker").isEmpty, "the old drop folder is still watched")
        #expect(try daemon.search("firstfoldermarker").count == 1, "the archive lost the first folder's article")

        try "drop = \(second.path)\nno-such-setting = 1\n".write(to: config, atomically: true, encoding: .utf8)
        daemon.process.send(SIGHUP)
        daemon.eventually("a bad file is reported in the status") {
            try daemon.stats().status.contains("no-such-setting")
        }
        #expect(try daemon.stats().problems?.map(\.key) == ["reload"])
        #expect(try daemon.stats().dropFolder == second.path)
        #expect(daemon.process.isRunning)

        try "drop = \(second.path)\n".write(to: config, atomically: true, encoding: .utf8)
        daemon.process.send(SIGHUP)
        daemon.eventually("a good reload clears the refused one's problem") { try daemon.stats().problems == [] }
    }

    @Test("A refused reload leaves every previous setting current and records a reload problem")
    func refusedReloadKeepsSettings() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let drop = sandbox.root.appendingPathComponent("drop")
        let blocker = sandbox.root.appendingPathComponent("not-a-folder")
        try "".write(to: blocker, atomically: true, encoding: .utf8)
        let config = sandbox.root.appendingPathComponent("akhbard.conf")
        try "drop = \(drop.path)\n".write(to: config, atomically: true, encoding: .utf8)
        let daemon = try Daemon(
            sandbox, arguments: ["--config", config.path, "--store", sandbox.store.path, "--socket", sandbox.socket])
        defer { daemon.stop() }
        try daemon.waitUntilAnswering()

        // The size limit would reject the file below; the drop folder cannot be made.
        try "drop = \(blocker.path)/drop\nmax-file-size = 100\n".write(to: config, atomically: true, encoding: .utf8)
        daemon.process.send(SIGHUP)
        daemon.eventually("the refused reload is a problem") { try daemon.stats().problems?.map(\.key) == ["reload"] }
        #expect(try daemon.stats().dropFolder == drop.path)

        _ = try sandbox.write(SampleArticle.text(title: "keptlimitmarker"), to: drop.appendingPathComponent("big.txt"))
        daemon.eventually("the file over the refused limit is ingested in the kept folder") {
            try daemon.search("keptlimitmarker").count == 1
        }
        let rejections = try daemon.call(.rejections, LimitParameters(limit: 50), returning: RejectionsReply.self)
        #expect(rejections.rejections.isEmpty, "the refused size limit was applied")
        #expect(daemon.process.isRunning)
    }
}
