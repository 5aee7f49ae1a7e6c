import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// The daemon as an unprivileged user: root reads any file, so only another user can meet a file
/// it may not read.
private enum Unprivileged {
    static let setpriv = "/usr/bin/setpriv"
    /// nobody and nogroup on Debian.
    static let id: UInt32 = 65534

    static var available: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: setpriv) }

    static var launcher: [String] {
        [setpriv, "--reuid=\(id)", "--regid=\(id)", "--clear-groups", "--"]
    }

    /// Hands the sandbox's folders to that user, so the daemon can bind its socket and write its store.
    static func adopt(_ sandbox: Sandbox) throws {
        for url in [sandbox.root, sandbox.drop, sandbox.store.deletingLastPathComponent()] {
            guard chown(url.path, id, id) == 0 else {
                throw Failure("chown \(url.path): \(String(cString: strerror(errno)))")
            }
        }
    }
}

@Suite("Files the daemon cannot read yet")
struct UnreadableDropTests {
    @Test(
        "a file the daemon may not read is not rejected, is tried again at a restart, and is ingested once chmodded",
        .enabled(if: Unprivileged.available, "SKIPPED: needs root and setpriv to run the daemon as nobody"))
    func unreadableUntilChmod() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try Unprivileged.adopt(sandbox)
        let file = sandbox.dropped("private.txt")
        let shown = "private.txt"
        do {
            let first = try Daemon(sandbox, generation: 1, launcher: Unprivileged.launcher)
            defer { first.stop() }
            try first.waitUntilAnswering()
            // Written by root with mode 0600, as a producer with a strict umask would.
            let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            try #require(descriptor >= 0)
            try Sandbox.writeAll(Data(SampleArticle.text(title: "unreadablemarker").utf8), to: descriptor)
            close(descriptor)
            // Whatever the daemon makes of it, it says so in the log.
            first.eventually("the daemon tried to read private.txt") { first.process.stderr.contains(shown) }
            let stats = try first.stats()
            #expect(stats.rejected == 0 && stats.articles == 0, "\(stats)")
            #expect(
                try first.akhbarJSON(["rejected"]).stdout.isEmpty, "a permission problem was recorded as a rejection")
            #expect(first.process.stderr.contains("Permission denied"), "the log does not say why")
        }
        let second = try Daemon(sandbox, generation: 2, launcher: Unprivileged.launcher)
        defer { second.stop() }
        try second.waitUntilAnswering()
        second.eventually("the restart tried private.txt again") {
            second.process.stderr.contains(shown) && second.process.stderr.contains("Permission denied")
        }
        let waiting = try second.stats().problems?.first { $0.key == "unreadable" }
        #expect(
            waiting?.message.contains("cannot be read yet, tried again: 1;") == true,
            "not shown as a problem: \(String(describing: waiting))")
        #expect(chmod(file.path, 0o644) == 0)
        second.eventually("private.txt ingested once readable") {
            try !second.hits(for: "unreadablemarker", file: "private.txt").isEmpty
        }
        #expect(second.process.stderr.contains("permissions changed"), "not retried on IN_ATTRIB")
        let stats = try second.stats()
        #expect(stats.rejected == 0 && stats.articles == 1, "\(stats)")
        #expect(stats.problems?.contains { $0.key == "unreadable" } != true, "the problem outlived its cause: \(stats)")
    }

    @Test(
        "a folder the daemon may not list is logged, and its files are ingested once it is chmodded",
        .enabled(if: Unprivileged.available, "SKIPPED: needs root and setpriv to run the daemon as nobody"))
    func unlistableUntilChmod() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try Unprivileged.adopt(sandbox)
        let daemon = try Daemon(sandbox, launcher: Unprivileged.launcher)
        defer { daemon.stop() }
        try daemon.waitUntilAnswering()
        // Made and filled by root, closed to others, then moved in whole: the daemon sees the
        // folder arrive but cannot look inside.
        let staging = sandbox.root.appendingPathComponent("staging/closed")
        try sandbox.write(
            SampleArticle.text(title: "closedfoldermarker"), to: staging.appendingPathComponent("inside.txt"))
        #expect(chmod(staging.path, 0o700) == 0)
        try FileManager.default.moveItem(at: staging, to: sandbox.dropped("closed"))
        daemon.eventually("the daemon said it cannot list the folder") {
            daemon.process.stderr.contains("cannot list folder") && daemon.process.stderr.contains("closed")
        }
        #expect(chmod(sandbox.dropped("closed").path, 0o755) == 0)
        daemon.eventually("inside.txt ingested once the folder is open") {
            try !daemon.hits(for: "closedfoldermarker", file: "inside.txt").isEmpty
        }
        // Watched too, not only listed.
        try sandbox.write(SampleArticle.text(title: "closedlatermarker"), to: sandbox.dropped("closed/later.txt"))
        daemon.eventually("a later file in it ingested") {
            try !daemon.hits(for: "closedlatermarker", file: "later.txt").isEmpty
        }
    }

    @Test(
        "a file an older daemon rejected for a read failure is read again, though its stamp is unchanged",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "SKIPPED: needs sqlite3"))
    func olderReadFailureRetried() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        do {
            // Creates the store.
            let first = try Daemon(sandbox, generation: 1)
            defer { first.stop() }
            try first.waitUntilAnswering()
        }
        let file = try sandbox.write(SampleArticle.text(title: "olderfailuremarker"), to: sandbox.dropped("stuck.txt"))
        var info = stat()
        #expect(stat(file.path, &info) == 0)
        let mtime = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        // What an older daemon wrote for a file it could not open: its stamp and a rejection.
        let sql = """
            INSERT INTO file(path, inode, size, mtime, seenAt)
                VALUES ('\(file.path)', \(info.st_ino), \(info.st_size), \(mtime), 0);
            INSERT INTO rejection(path, position, reason, at)
                VALUES ('\(file.path)', -1, 'cannot open: Permission denied', 0);
            """
        let sqlite = try ChildProcess(
            URL(fileURLWithPath: "/usr/bin/sqlite3"), [sandbox.store.path, sql], name: "sqlite3", in: sandbox.root)
        #expect(sqlite.wait(timeout: .seconds(10)) && sqlite.status == 0, "\(sqlite.tail())")

        let second = try Daemon(sandbox, generation: 2)
        defer { second.stop() }
        try second.waitUntilAnswering()
        second.eventually("stuck.txt ingested at the restart") {
            try !second.hits(for: "olderfailuremarker", file: "stuck.txt").isEmpty
        }
        let stats = try second.stats()
        #expect(stats.rejected == 0 && stats.articles == 1, "\(stats)")
        #expect(stats.problems?.contains { $0.key == "unreadable" } != true, "the problem outlived its cause: \(stats)")
    }

    @Test(
        "with descriptors used up, files and folders wait, and are ingested once descriptors are back",
        .enabled(
            if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit"),
            "SKIPPED: needs root and prlimit to change the daemon's descriptor limit"))
    func descriptorsUsedUp() throws {
        try withDaemon { daemon in
            let pid = String(daemon.process.pid)
            let original = try run(
                "/usr/bin/prlimit", ["--pid", pid, "--nofile", "--raw", "--noheadings", "--output", "SOFT,HARD"]
            )
            .split(separator: " ", omittingEmptySubsequences: true).joined(separator: ":")
            // Below the descriptors already open, so that every new one fails with EMFILE.
            _ = try run("/usr/bin/prlimit", ["--pid", pid, "--nofile=3:\(original.split(separator: ":")[1])"])
            try daemon.sandbox.write(
                SampleArticle.text(title: "limitedloosemarker"), to: daemon.sandbox.dropped("loose.txt"))
            let staging = daemon.sandbox.root.appendingPathComponent("staging/limited")
            try daemon.sandbox.write(
                SampleArticle.text(title: "limitedinsidemarker"), to: staging.appendingPathComponent("inside.txt"))
            try FileManager.default.moveItem(at: staging, to: daemon.sandbox.dropped("limited"))
            daemon.eventually("both failures logged") {
                let log = daemon.process.stderr
                return log.contains("cannot read a file") && log.contains("cannot list folder")
                    && log.contains("Too many open files")
            }
            _ = try run("/usr/bin/prlimit", ["--pid", pid, "--nofile=\(original)"])
            daemon.eventually("both files ingested once descriptors are back") {
                try daemon.stats().articles == 2
            }
            #expect(try !daemon.hits(for: "limitedloosemarker", file: "loose.txt").isEmpty)
            #expect(try !daemon.hits(for: "limitedinsidemarker", file: "inside.txt").isEmpty)
            #expect(try daemon.stats().rejected == 0, "a descriptor shortage was recorded as a rejection")
            // The folder is watched, not only listed.
            try daemon.sandbox.write(
                SampleArticle.text(title: "limitedlatermarker"), to: daemon.sandbox.dropped("limited/later.txt"))
            daemon.eventually("a later file in it ingested") {
                try !daemon.hits(for: "limitedlatermarker", file: "later.txt").isEmpty
            }
        }
    }
}

/// Runs a command to completion and returns its standard output, trimmed; throws if it fails.
private func run(_ executable: String, _ arguments: [String]) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "akhbar-run-\(UUID().uuidString.prefix(12))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let child = try ChildProcess(URL(fileURLWithPath: executable), arguments, name: "command", in: directory)
    guard child.wait(timeout: .seconds(10)), child.status == 0 else {
        throw Failure("\(executable) \(arguments.joined(separator: " ")) failed: \(child.tail())")
    }
    return child.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
}
