import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// A daemon that cannot do its work says so, and one that must stop, stops: another daemon on its
/// store, a stop during the start-up ingest, the drop folder going away, commits failing.
@Suite("Daemon health")
struct HealthTests {
    @Test("a second daemon on the same store refuses to start, naming the first's PID; the first keeps serving")
    func secondDaemonOnOneStore() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let first = try Daemon(sandbox, generation: 1)
        defer { first.stop() }
        try first.waitUntilAnswering()

        let otherSocket = sandbox.root.appendingPathComponent("o.sock").path
        let second = try Daemon(
            sandbox, generation: 2,
            arguments: ["--drop", sandbox.drop.path, "--store", sandbox.store.path, "--socket", otherSocket])
        guard second.process.wait(timeout: .seconds(30)) else {
            Issue.record("the second daemon is still running\n\(second.process.tail())")
            return
        }
        #expect(!second.process.terminatedBySignal && second.process.status != 0, "\(second.process.tail())")
        #expect(second.process.stderr.contains("PID \(first.process.pid)"), "\(second.process.tail())")
        #expect(!FileManager.default.fileExists(atPath: otherSocket), "the second daemon bound its socket")

        try sandbox.write(SampleArticle.text(title: "firstkeepsservingmarker"), to: sandbox.dropped("one.txt"))
        first.eventually("the first daemon still ingests") { try first.search("firstkeepsservingmarker").count == 1 }
        #expect(first.process.isRunning)
    }

    @Test("SIGTERM closes the socket before STOPPING=1 is sent, then exits 0")
    func stoppingAfterTheSocketCloses() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let notify = try NotifyListener(in: sandbox)
        let daemon = try Daemon(sandbox, environment: notify.environment)
        defer { daemon.stop() }
        try daemon.waitUntilAnswering()
        daemon.eventually("READY=1 is sent") { notify.received("READY=1") }
        try RawSocket(path: sandbox.socket).close()

        daemon.process.send(SIGTERM)
        let deadline = ContinuousClock.now + .seconds(5)
        while !notify.received("STOPPING=1"), ContinuousClock.now < deadline { usleep(200) }
        try #require(notify.received("STOPPING=1"), "no STOPPING=1 within 5 s")
        // STOPPING=1 is the barrier: by the time it is read the socket must refuse.
        #expect(throws: (any Error).self, "the socket still accepted after STOPPING=1") {
            try RawSocket(path: sandbox.socket).close()
        }
        #expect(
            daemon.process.wait(timeout: .seconds(5)) && daemon.process.status == 0,
            "\(daemon.process.tail(lines: 400))")
    }

    @Test("SIGTERM during the start-up ingest exits 0 within 2 s, and the next start ingests every file")
    func sigtermBeforeReady() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let count = 3_000
        for number in 0..<count {
            try sandbox.write(
                SampleArticle.text(title: "startupfile\(number)x"), to: sandbox.dropped("bulk/\(number).txt"))
        }
        let notify = try NotifyListener(in: sandbox)
        let daemon = try Daemon(sandbox, generation: 1, environment: notify.environment)
        try daemon.waitUntilAnswering()
        // The socket answers before READY; a first commit shows the start-up ingest under way.
        daemon.eventually("the start-up ingest commits a first batch", timeout: .seconds(120)) {
            try daemon.stats().articles > 0
        }
        try #require(!notify.received("READY=1"), "the start-up ingest finished before the test could stop it")

        let signalled = ContinuousClock.now
        daemon.process.send(SIGTERM)
        let exited = daemon.process.wait(timeout: .seconds(20))
        let took = ContinuousClock.now - signalled
        #expect(exited && !daemon.process.terminatedBySignal && daemon.process.status == 0, "\(daemon.process.tail())")
        #expect(took < .seconds(2), "stopping took \(took)")
        #expect(!notify.received("READY=1"), "READY=1 was sent after SIGTERM")

        let restarted = try Daemon(sandbox, generation: 2, environment: notify.environment)
        defer { restarted.stop() }
        try restarted.waitUntilAnswering()
        restarted.eventually("every file is ingested", timeout: .seconds(300)) {
            let stats = try restarted.stats()
            return stats.articles == count && stats.files == count && stats.queued == 0
        }
        #expect(try restarted.search("startupfile\(count - 1)x").count == 1)
    }

    @Test("the drop folder moved away is a problem until a folder is back there, which is then watched")
    func dropFolderMovedAndBack() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let notify = try NotifyListener(in: sandbox)
        let daemon = try Daemon(sandbox, environment: notify.environment)
        defer { daemon.stop() }
        try daemon.waitUntilAnswering()
        try sandbox.write(SampleArticle.text(title: "beforemovemarker"), to: sandbox.dropped("before.txt"))
        daemon.eventually("a first file is ingested") { try daemon.search("beforemovemarker").count == 1 }

        try FileManager.default.moveItem(at: sandbox.drop, to: sandbox.root.appendingPathComponent("moved"))
        daemon.eventually("Stats lists the drop folder's problem") {
            try daemon.stats().problems?.contains { $0.key == "drop-folder" } == true
        }
        daemon.eventually("STATUS= shows it") { notify.statuses.contains { $0.contains("PROBLEM drop-folder") } }
        #expect(try daemon.stats().status.contains("drop-folder"))
        let command = "\(try Binaries.client().path) stats --socket \(sandbox.socket)"
        let terminal = try ChildProcess(
            URL(fileURLWithPath: "/usr/bin/script"), ["--quiet", "--return", "--command", command, "/dev/null"],
            name: "akhbar-stats", in: sandbox.root, environment: ["TERM": "xterm-256color", "NO_COLOR": "1"])
        #expect(terminal.wait(timeout: .seconds(30)) && terminal.status == 0, "\(terminal.tail())")
        let lines = terminal.stdout.split(whereSeparator: \.isNewline)
        #expect(lines.contains { $0.hasPrefix("problem ") && $0.contains("drop-folder since ") }, "\(terminal.stdout)")
        #expect(lines.first { $0.hasPrefix("status ") }.map { !$0.contains("PROBLEM") } == true, "\(terminal.stdout)")

        try FileManager.default.createDirectory(at: sandbox.drop, withIntermediateDirectories: true)
        daemon.eventually("the problem clears once the folder is back") {
            try daemon.stats().problems?.contains { $0.key == "drop-folder" } == false
        }
        try sandbox.write(SampleArticle.text(title: "aftermovemarker"), to: sandbox.dropped("after.txt"))
        daemon.eventually("a file in the new folder is ingested") { try daemon.search("aftermovemarker").count == 1 }
        #expect(try daemon.search("beforemovemarker").count == 1, "the archive lost an article")
        #expect(try daemon.stats().problems == [])
    }

    @Test("a drop folder gone for longer than its grace stops the daemon with a failure")
    func dropFolderGoneForGood() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let notify = try NotifyListener(in: sandbox)
        let daemon = try Daemon(
            sandbox,
            arguments: [
                "--drop", sandbox.drop.path, "--store", sandbox.store.path, "--socket", sandbox.socket,
                "--drop-grace", "1",
            ], environment: notify.environment)
        try daemon.waitUntilAnswering()
        // Gone before READY would fail the start instead: the folder could not be watched.
        daemon.eventually("READY=1 is sent") { notify.received("READY=1") }
        try FileManager.default.removeItem(at: sandbox.drop)
        guard daemon.process.wait(timeout: .seconds(20)) else {
            Issue.record("akhbard still runs 20 s after its drop folder went\n\(daemon.process.tail())")
            return
        }
        #expect(!daemon.process.terminatedBySignal && daemon.process.status == 1, "\(daemon.process.tail())")
        #expect(daemon.process.stderr.contains("still gone after 1 s"), "\(daemon.process.tail())")
    }

    @Test(
        "failing commits are a problem until one succeeds, and a reload clears only its own",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit"), "needs prlimit (util-linux)"))
    func commitsFailing() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let config = sandbox.root.appendingPathComponent("akhbard.conf")
        try "drop = \(sandbox.drop.path)\n".write(to: config, atomically: true, encoding: .utf8)
        let notify = try NotifyListener(in: sandbox)
        let daemon = try Daemon(
            sandbox, arguments: ["--config", config.path, "--store", sandbox.store.path, "--socket", sandbox.socket],
            environment: notify.environment)
        defer { daemon.stop() }
        try daemon.waitUntilAnswering()

        // A file size limit (256 KiB) makes the write-ahead log's growth fail as a full disk would; the
        // article below (about 480 kB of text) cannot be committed under it.
        try Self.limitFileSize(of: daemon, to: "262144")
        try sandbox.write(
            SampleArticle.text(title: "toobigtocommitmarker", body: Self.bigBody), to: sandbox.dropped("big.txt"))
        daemon.eventually("Stats lists the commit problem", timeout: .seconds(60)) {
            try daemon.stats().problems?.contains { $0.key == "commit" } == true
        }
        daemon.eventually("STATUS= shows it") { notify.statuses.contains { $0.contains("PROBLEM commit") } }

        try "drop = \(sandbox.drop.path)\nno-such-setting = 1\n".write(to: config, atomically: true, encoding: .utf8)
        daemon.process.send(SIGHUP)
        daemon.eventually("the refused reload is a problem beside the commits") {
            Set(try daemon.stats().problems?.map(\.key) ?? []) == ["commit", "reload"]
        }
        try "drop = \(sandbox.drop.path)\n".write(to: config, atomically: true, encoding: .utf8)
        daemon.process.send(SIGHUP)
        daemon.eventually("a good reload clears its own problem and only that") {
            try daemon.stats().problems?.map(\.key) == ["commit"]
        }

        let client = try daemon.akhbarJSON(["stats"])
        #expect(try client.object(StatsReply.self).problems?.map(\.key) == ["commit"], "akhbar stats: \(client.stdout)")

        try Self.limitFileSize(of: daemon, to: "unlimited")
        daemon.eventually("the next commit succeeds and the problem clears", timeout: .seconds(90)) {
            try daemon.stats().problems == []
        }
        #expect(try daemon.search("toobigtocommitmarker").count == 1)
        daemon.eventually("STATUS= no longer shows it") { notify.statuses.last.map { !$0.contains("PROBLEM") } == true }
    }

    @Test(
        "SIGTERM while commits fail exits 0 within 2 s, and the next start commits what failed",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit"), "needs prlimit (util-linux)"))
    func sigtermWhileCommitsFail() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        do {
            let daemon = try Daemon(sandbox)
            try daemon.waitUntilAnswering()
            try Self.limitFileSize(of: daemon, to: "262144")
            try sandbox.write(
                SampleArticle.text(title: "failingatstopmarker", body: Self.bigBody), to: sandbox.dropped("big.txt"))
            daemon.eventually("commits fail", timeout: .seconds(60)) {
                try daemon.stats().problems?.contains { $0.key == "commit" } == true
            }
            // The third failure pauses the writer for 4 s before its next try; a stop must not wait for it.
            daemon.eventually("a third commit fails", timeout: .seconds(60)) {
                daemon.process.stderr.contains("retrying in 4")
            }
            let signalled = ContinuousClock.now
            daemon.stop()
            let took = ContinuousClock.now - signalled
            #expect(took < .seconds(2), "stopping took \(took)")
        }
        let restarted = try Daemon(sandbox, generation: 2)
        defer { restarted.stop() }
        try restarted.waitUntilAnswering()
        restarted.eventually("the file that failed is committed") {
            try restarted.search("failingatstopmarker").count == 1
        }
    }

    /// About 480 kB of text, with words enough that it does not compress to nothing.
    private static let bigBody = (0..<40_000).map { "كلمة\($0 % 997)" }.joined(separator: " ")

    @Test(
        "a store that cannot be written fails the start, without READY",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit"), "needs prlimit (util-linux)"))
    func unwritableStore() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        do {
            let daemon = try Daemon(sandbox)
            try daemon.waitUntilAnswering()
            daemon.stop()
        }
        let notify = try NotifyListener(in: sandbox)
        // 20 kB: the log fits, the store's shared-memory index (32 kB) and its writes do not.
        let daemon = try ChildProcess(
            URL(fileURLWithPath: "/usr/bin/prlimit"),
            [
                "--fsize=20000", try Binaries.daemon().path, "--drop", sandbox.drop.path, "--store", sandbox.store.path,
                "--socket", sandbox.socket,
            ],
            name: "akhbard-2", in: sandbox.root, environment: notify.environment)
        guard daemon.wait(timeout: .seconds(30)) else {
            Issue.record("akhbard still runs on a store it cannot write\n\(daemon.tail())")
            return
        }
        #expect(!daemon.terminatedBySignal && daemon.status == 1, "\(daemon.tail())")
        #expect(!notify.received("READY=1"))
        #expect(notify.statuses.contains { $0.hasPrefix("cannot start") }, "\(notify.statuses)")
    }

    @Test(
        "a drop folder that cannot be watched fails the start, without READY",
        .enabled(
            if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser"),
            "needs root, to run the daemon as nobody on a folder only root may read"))
    func unwatchableDropFolder() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: sandbox.drop.path)
        let open = sandbox.root.appendingPathComponent("open")
        try FileManager.default.createDirectory(at: open, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: open.path)
        let notify = try NotifyListener(in: sandbox)
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: notify.path)
        let daemon = try ChildProcess(
            URL(fileURLWithPath: "/usr/sbin/runuser"),
            [
                "-u", "nobody", "--", try Binaries.daemon().path, "--drop", sandbox.drop.path,
                "--store", open.appendingPathComponent("akhbar.sqlite").path,
                "--socket", open.appendingPathComponent("s.sock").path,
            ],
            name: "akhbard", in: sandbox.root, environment: notify.environment)
        guard daemon.wait(timeout: .seconds(30)) else {
            Issue.record("akhbard still runs on a drop folder it cannot watch\n\(daemon.tail())")
            return
        }
        #expect(!daemon.terminatedBySignal && daemon.status == 1, "\(daemon.tail())")
        #expect(daemon.stderr.contains("cannot watch \(sandbox.drop.path)"), "\(daemon.tail())")
        #expect(!notify.received("READY=1"))
        #expect(notify.statuses.contains { $0.hasPrefix("cannot start") }, "\(notify.statuses)")
    }

    @Test(
        "a folder that cannot be watched is a problem until a rescan watches it",
        .enabled(
            if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser"),
            "needs root, to run the daemon as nobody beside a folder only root may read"))
    func unwatchableSubfolder() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let locked = sandbox.dropped("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: locked.path)
        let open = sandbox.root.appendingPathComponent("open")
        try FileManager.default.createDirectory(at: open, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: open.path)
        let socket = open.appendingPathComponent("s.sock").path
        let daemon = try ChildProcess(
            URL(fileURLWithPath: "/usr/sbin/runuser"),
            [
                "-u", "nobody", "--", try Binaries.daemon().path, "--drop", sandbox.drop.path,
                "--store", open.appendingPathComponent("akhbar.sqlite").path, "--socket", socket,
            ],
            name: "akhbard", in: sandbox.root)
        defer {
            // runuser passes SIGTERM on, then ends itself with it: the daemon's log tells how it stopped.
            daemon.send(SIGTERM)
            #expect(daemon.wait(timeout: .seconds(20)) && daemon.stderr.contains("info stopped"), "\(daemon.tail())")
        }
        func problems() throws -> [String] {
            try VarlinkConnection(path: socket)
                .call(ArticlesInterface.Method.stats.rawValue, NoParameters(), returning: StatsReply.self).problems?
                .map(\.key) ?? []
        }
        try Self.until("the unwatchable folder is a problem", daemon) { try problems() == ["watch:\(locked.path)"] }

        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: locked.path)
        _ = try VarlinkConnection(path: socket)
            .call(ArticlesInterface.Method.rescan.rawValue, NoParameters(), returning: RescanReply.self)
        try Self.until("the rescan watches it and the problem clears", daemon) { try problems() == [] }
    }

    /// Polls `condition` until it holds, throwing after 30 s or when the daemon has exited.
    private static func until(_ what: String, _ daemon: ChildProcess, _ condition: () throws -> Bool) throws {
        let deadline = ContinuousClock.now + .seconds(30)
        var lastError: (any Error)?
        while ContinuousClock.now < deadline {
            guard daemon.isRunning else { throw Failure("akhbard exited before: \(what)\n\(daemon.tail())") }
            do {
                if try condition() { return }
            } catch {
                lastError = error
            }
            usleep(20_000)
        }
        throw Failure("timed out waiting for: \(what) \(lastError.map { "(\($0))" } ?? "")\n\(daemon.tail())")
    }

    /// Sets the daemon's soft RLIMIT_FSIZE (its hard limit stays unlimited, so it can be raised again).
    private static func limitFileSize(of daemon: Daemon, to limit: String) throws {
        let tool = try ChildProcess(
            URL(fileURLWithPath: "/usr/bin/prlimit"), ["--pid", "\(daemon.process.pid)", "--fsize=\(limit):unlimited"],
            name: "prlimit", in: daemon.sandbox.root)
        #expect(tool.wait(timeout: .seconds(10)) && tool.status == 0, "prlimit failed: \(tool.tail())")
    }
}
