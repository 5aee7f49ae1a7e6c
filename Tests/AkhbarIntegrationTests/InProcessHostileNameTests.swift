import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// Producers control every name in the drop folder: links, swapped folders, special files, names
/// that are not UTF-8. None of them may lead the daemon outside the folder, block it, or lose a file.
///
/// The daemon runs in the test's process (``withInProcessDaemon``); what blocks waits on a thread
/// of its own.
@Suite("Hostile names in the drop folder")
struct InProcessHostileNameTests {
    @Test("links planted in the drop folder are followed neither by the watcher nor by a rescan")
    func plantedLinks() async throws {
        try await withInProcessDaemon { daemon in
            let sandbox = daemon.sandbox
            let outside = sandbox.root.appendingPathComponent("outside")
            try sandbox.write(
                SampleArticle.text(title: "plantedsecretmarker"), to: outside.appendingPathComponent("secret.txt"))
            try FileManager.default.createSymbolicLink(
                at: sandbox.dropped("linked-folder"), withDestinationURL: outside)
            try FileManager.default.createSymbolicLink(
                at: sandbox.dropped("linked.txt"), withDestinationURL: outside.appendingPathComponent("secret.txt"))
            // A link renamed in reports IN_MOVED_TO, which the daemon acts on.
            try FileManager.default.createSymbolicLink(
                at: sandbox.dropped("renamed.txt.part"),
                withDestinationURL: outside.appendingPathComponent("secret.txt"))
            try FileManager.default.moveItem(
                at: sandbox.dropped("renamed.txt.part"), to: sandbox.dropped("renamed.txt"))
            _ = try await daemon.call(.rescan, NoParameters(), returning: RescanReply.self)
            try await daemon.awaitBarrier("plantedsentinelmarker")
            #expect(try await daemon.search("plantedsecretmarker").isEmpty, "a planted link was followed")
            let stats = try await daemon.stats()
            #expect(stats.articles == 1 && stats.files == 1 && stats.rejected == 0, "\(stats)")
        }
    }

    @Test("a FIFO is never opened and the daemon does not hang on it")
    func fifo() async throws {
        try await withInProcessDaemon { daemon in
            let pipe = daemon.sandbox.dropped("pipe.txt")
            #expect(mkfifo(pipe.path, 0o644) == 0)
            let opens = try OpenCounter(watching: daemon.sandbox.drop)
            // Opened for writing and closed: the daemon hears IN_CLOSE_WRITE as for a file.
            let descriptor = open(pipe.path, O_RDWR | O_NONBLOCK | O_CLOEXEC)
            try #require(descriptor >= 0)
            close(descriptor)
            _ = try await daemon.call(.rescan, NoParameters(), returning: RescanReply.self)
            try await daemon.awaitBarrier("fifosentinelmarker")
            let counts = try opens.counts()
            #expect(counts["pipe.txt"] == 1, "the FIFO was opened \(counts["pipe.txt"] ?? 0) times, once by the test")
            #expect((counts["sentinel.txt"] ?? 0) >= 2, "the daemon's reads are not seen: \(counts)")
            let stats = try await daemon.stats()
            #expect(stats.articles == 1 && stats.rejected == 0, "\(stats)")
        }
    }

    @Test(
        "a device node is never opened, only looked at",
        .enabled(if: getuid() == 0, "SKIPPED: only root can create a device node with mknod"))
    func deviceNode() async throws {
        try await withInProcessDaemon { daemon in
            let node = daemon.sandbox.dropped("null.txt")
            // The same device as /dev/null: harmless to open, but the daemon has no business doing so.
            #expect(
                mknod(node.path, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0, "mknod: \(String(cString: strerror(errno)))")
            let opens = try OpenCounter(watching: daemon.sandbox.drop)
            let descriptor = open(node.path, O_WRONLY | O_CLOEXEC)
            try #require(descriptor >= 0)
            close(descriptor)
            _ = try await daemon.call(.rescan, NoParameters(), returning: RescanReply.self)
            try await daemon.awaitBarrier("devicesentinelmarker")
            let counts = try opens.counts()
            #expect(counts["null.txt"] == 1, "the device was opened \(counts["null.txt"] ?? 0) times, once by the test")
            #expect((counts["sentinel.txt"] ?? 0) >= 2, "the daemon's reads are not seen: \(counts)")
            let stats = try await daemon.stats()
            #expect(stats.articles == 1 && stats.rejected == 0, "\(stats)")
        }
    }

    @Test("a hard link and an O_TMPFILE file linked in are ingested without a rescan, and whole")
    func hardLinks() async throws {
        try await withInProcessDaemon { daemon in
            let outside = daemon.sandbox.root.appendingPathComponent("outside/linked.txt")
            try daemon.sandbox.write(SampleArticle.text(title: "hardlinkmarker"), to: outside)
            #expect(link(outside.path, daemon.sandbox.dropped("linked.txt").path) == 0)
            await daemon.eventually("the hard link ingested") {
                try await !daemon.hits(for: "hardlinkmarker", file: "linked.txt").isEmpty
            }

            // Written, then given a name: complete when named.
            try daemon.sandbox.writeAnonymously(
                [SampleArticle.text(title: "tmpfilewrittenmarker")], named: daemon.sandbox.dropped("written.txt"),
                linkFirst: false)
            await daemon.eventually("the O_TMPFILE file ingested") {
                try await !daemon.hits(for: "tmpfilewrittenmarker", file: "written.txt").isEmpty
            }
            // Named first, then written in two parts: it must be read once its writer closes it.
            let head = "خبر كتب بعد ربطه tmpfileheadmarker\n\nالفقرة الأولى وصلت أولا.\n"
            let tail = "والفقرة الثانية وصلت بعد ذلك tmpfiletailmarker.\n"
            try daemon.sandbox.writeAnonymously(
                [head, tail], named: daemon.sandbox.dropped("late.txt"), linkFirst: true)
            await daemon.eventually("the O_TMPFILE file written after its link ingested") {
                try await !daemon.hits(for: "tmpfiletailmarker", file: "late.txt").isEmpty
            }
            let article = try await daemon.article(
                try #require(await daemon.hits(for: "tmpfileheadmarker", file: "late.txt").first).id)
            #expect(article.updated == article.ingested, "read before its writer was done")
            let stats = try await daemon.stats()
            #expect(stats.articles == 3 && stats.rejected == 0, "\(stats)")
        }
    }
}

extension InProcessDaemon {
    /// Drops `sentinel.txt` with `marker` and waits until it is searchable and nothing is queued:
    /// every event reported before it has then been handled, so what did not happen will not.
    func awaitBarrier(_ marker: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try sandbox.write(SampleArticle.text(title: marker), to: sandbox.dropped("sentinel.txt"))
        await eventually("the sentinel ingested and the queue empty", sourceLocation: sourceLocation) {
            let found = try await !hits(for: marker, file: "sentinel.txt").isEmpty
            let queued = try await stats().queued
            return found && queued == 0
        }
    }
}
