import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// Producers control every name in the drop folder: links, swapped folders, special files, names
/// that are not UTF-8, hard links. None of them may lead the daemon outside the folder, block it,
/// or lose a file.
@Suite("Hostile names in the drop folder")
struct HostileNameTests {
    @Test("a subfolder swapped for a link to an outside folder is not read through at a restart")
    func swappedFolder() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.write(SampleArticle.text(title: "swapinsidemarker"), to: sandbox.dropped("sub/article.txt"))
        let inside: ArticleRecord
        do {
            let first = try Daemon(sandbox, generation: 1)
            defer { first.stop() }
            try first.waitUntilAnswering()
            first.eventually("sub/article.txt ingested") {
                try !first.hits(for: "swapinsidemarker", file: "article.txt").isEmpty
            }
            inside = try first.article(try #require(first.hits(for: "swapinsidemarker", file: "article.txt").first).id)
        }
        // The store knows drop/sub/article.txt; behind the link the same name holds a secret.
        let outside = sandbox.root.appendingPathComponent("outside")
        try sandbox.write(
            SampleArticle.text(title: "swapsecretmarker"), to: outside.appendingPathComponent("article.txt"))
        try FileManager.default.moveItem(
            at: sandbox.dropped("sub"), to: sandbox.root.appendingPathComponent("sub.away"))
        try FileManager.default.createSymbolicLink(at: sandbox.dropped("sub"), withDestinationURL: outside)

        let second = try Daemon(sandbox, generation: 2)
        defer { second.stop() }
        try second.waitUntilAnswering()
        // The start's reconcile looks at the known path once more: it must find it gone, not
        // follow the link to the secret (which would replace the article's text in place).
        second.eventually("the swapped path looked at") {
            let now = try second.article(inside.id)
            return now.sources.allSatisfy(\.gone) || now.body.contains("swapsecretmarker")
        }
        let now = try second.article(inside.id)
        #expect(!now.body.contains("swapsecretmarker") && now.body.contains("swapinsidemarker"), "\(now.body)")
        #expect(try second.search("swapsecretmarker").isEmpty, "the file behind the link was indexed")
        let export = try akhbar(["export", "--socket", sandbox.socket])
        #expect(export.status == 0 && !export.stdout.contains("swapsecretmarker"))
    }

    @Test("names in Windows-1256 or Latin-1 bytes are ingested or rejected, shown escaped, and kept across a restart")
    func nonUTF8Name() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        // "خبر.txt" as Windows-1256 writes it, and a UTF-8 name that looks like an escape.
        let arabic: [UInt8] = [0xCE, 0xC8, 0xD1] + Array(".txt".utf8)
        let shownArabic = #"\xce\xc8\xd1.txt"#
        let lookalike = #"a\x41.txt"#
        let shownLookalike = #"a\x5cx41.txt"#
        // "café.txt" in Latin-1, and empty: a rejection that must name it.
        let latin: [UInt8] = Array("caf".utf8) + [0xE9] + Array(".txt".utf8)
        let shownLatin = #"caf\xe9.txt"#
        var record: ArticleRecord?
        do {
            let first = try Daemon(sandbox, generation: 1)
            defer { first.stop() }
            try first.waitUntilAnswering()
            try write(SampleArticle.text(title: "cp1256namemarker"), toRawName: sandbox.drop.path, arabic)
            try sandbox.write(SampleArticle.text(title: "lookalikenamemarker"), to: sandbox.dropped(lookalike))
            try write("", toRawName: sandbox.drop.path, latin)
            first.eventually("both files ingested and the empty one rejected") {
                let stats = try first.stats()
                return stats.articles == 2 && stats.rejected == 1
            }
            let rejected = try first.akhbarJSON(["rejected"]).lines(RejectionInfo.self).map(\.path)
            #expect(rejected == [sandbox.drop.path + "/" + shownLatin])
            let hit = try #require(try first.search("cp1256namemarker").first)
            #expect(hit.path == sandbox.drop.path + "/" + shownArabic)
            #expect(try first.search("lookalikenamemarker").first?.path == sandbox.drop.path + "/" + shownLookalike)
            let shown = try first.akhbarJSON(["show", String(hit.id)])
            let shownPaths = try shown.object(ArticleRecord.self).sources.map(\.path)
            #expect(
                shown.status == 0 && shownPaths == [sandbox.drop.path + "/" + shownArabic], "akhbar show: \(shownPaths)"
            )
            // The log quotes metadata values, doubling each backslash.
            let log = first.process.stderr
            #expect(
                log.contains(shownArabic.replacingOccurrences(of: #"\"#, with: #"\\"#)),
                "the log does not name the file")
            record = try first.article(hit.id)
        }
        let before = try #require(record)
        let second = try Daemon(sandbox, generation: 2)
        defer { second.stop() }
        try second.waitUntilAnswering()
        try second.awaitBarrier("cp1256sentinelmarker")
        let after = try second.article(before.id)
        #expect(after.updated == before.updated, "re-ingested at the restart")
        #expect(after.sources.map(\.path) == [sandbox.drop.path + "/" + shownArabic])
        #expect(after.sources.allSatisfy { !$0.gone }, "marked gone at the restart: \(after.sources)")
        let stats = try second.stats()
        #expect(stats.articles == 3 && stats.rejected == 1, "\(stats)")
        let rejected = try second.akhbarJSON(["rejected"]).lines(RejectionInfo.self).map(\.path)
        #expect(rejected == [sandbox.drop.path + "/" + shownLatin], "the rejection was lost or doubled at the restart")
    }
}

extension HostileNameTests {
    @Test("a file in folders nested past PATH_MAX is ingested")
    func deepFolders() throws {
        try withDaemon { daemon in
            let name = "folder-with-a-long-name-"
            var folder = open(daemon.sandbox.drop.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            try #require(folder >= 0)
            // 160 levels of 27 bytes: 4,320 bytes, past the 4,096 a path may have in one call.
            for level in 0..<160 {
                let component = name + String(format: "%03d", level)
                #expect(mkdirat(folder, component, 0o755) == 0)
                let next = openat(folder, component, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                close(folder)
                try #require(next >= 0)
                folder = next
            }
            let file = openat(folder, "deep.txt", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            close(folder)
            try #require(file >= 0)
            try Sandbox.writeAll(Data(SampleArticle.text(title: "deepfoldermarker").utf8), to: file)
            close(file)
            daemon.eventually("deep.txt ingested") {
                try !daemon.hits(for: "deepfoldermarker", file: "deep.txt").isEmpty
            }
            let path = try #require(daemon.search("deepfoldermarker").first?.path)
            #expect(path.utf8.count > 4096, "\(path.utf8.count) bytes")
            // Foundation cannot remove a tree this deep; rm can.
            let remove = try ChildProcess(
                URL(fileURLWithPath: "/bin/rm"), ["-rf", daemon.sandbox.dropped(name + "000").path], name: "rm",
                in: daemon.sandbox.root)
            #expect(remove.wait(timeout: .seconds(30)) && remove.status == 0)
        }
    }
}

/// Counts `IN_OPEN` events by name in one folder: opening a file for reading shows there, while
/// looking at it (`O_PATH`, `fstatat`) does not. Closes are watched too, though not counted: the
/// kernel merges an event identical to the one queued just before it, so two opens in a row would
/// count as one.
final class OpenCounter {
    private let descriptor: Int32

    init(watching folder: URL) throws {
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0, inotify_add_watch(descriptor, folder.path, UInt32(IN_OPEN | IN_CLOSE)) >= 0 else {
            throw Failure("cannot watch \(folder.path): \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        close(descriptor)
    }

    /// Opens seen so far, by file name.
    func counts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EAGAIN { return counts }
                throw Failure("cannot read inotify events: \(String(cString: strerror(errno)))")
            }
            var offset = 0
            while offset < count {
                let (event, name) = buffer.withUnsafeBytes { raw in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let start = offset + MemoryLayout<inotify_event>.size
                    let name = raw[start..<(start + Int(event.len))].prefix { $0 != 0 }
                    return (event, String(decoding: name, as: UTF8.self))
                }
                if event.mask & UInt32(IN_OPEN) != 0 { counts[name, default: 0] += 1 }
                let length = Int(event.len)
                offset += MemoryLayout<inotify_event>.size + length
            }
        }
    }
}

extension Daemon {
    /// Drops `sentinel.txt` with `marker` and waits until it is searchable and nothing is queued:
    /// every event reported before it has then been handled, so what did not happen will not.
    func awaitBarrier(_ marker: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try sandbox.write(SampleArticle.text(title: marker), to: sandbox.dropped("sentinel.txt"))
        eventually("the sentinel ingested and the queue empty", sourceLocation: sourceLocation) {
            try !hits(for: marker, file: "sentinel.txt").isEmpty && stats().queued == 0
        }
    }
}

extension Sandbox {
    /// Writes `parts` to a file opened with `O_TMPFILE` in the folder of `url` and gives it that
    /// name with `linkat`, before writing (`linkFirst`) or after.
    func writeAnonymously(_ parts: [String], named url: URL, linkFirst: Bool) throws {
        // O_TMPFILE is behind _GNU_SOURCE, which the Glibc module leaves out: __O_TMPFILE | O_DIRECTORY.
        let temporaryFile: Int32 = 0o20000000 | O_DIRECTORY
        let descriptor = open(url.deletingLastPathComponent().path, temporaryFile | O_WRONLY | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Failure("O_TMPFILE: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let name = {
            guard linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", AT_FDCWD, url.path, AT_SYMLINK_FOLLOW) == 0 else {
                throw Failure("linkat: \(String(cString: strerror(errno)))")
            }
        }
        if linkFirst { try name() }
        for part in parts { try Self.writeAll(Data(part.utf8), to: descriptor) }
        if !linkFirst { try name() }
    }
}

/// Writes `text` to a file in `folder` whose name is the raw bytes `name`, whatever they encode.
private func write(_ text: String, toRawName folder: String, _ name: [UInt8]) throws {
    let path = (Array(folder.utf8) + [UInt8(ascii: "/")] + name).map { CChar(bitPattern: $0) } + [0]
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw Failure("cannot create a file: \(String(cString: strerror(errno)))") }
    defer { close(descriptor) }
    try Sandbox.writeAll(Data(text.utf8), to: descriptor)
}
