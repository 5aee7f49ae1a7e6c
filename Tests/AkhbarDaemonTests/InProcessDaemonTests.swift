import AkhbarProtocol
import AkhbarStore
import AkhbarTesting
import Foundation
import Testing

@testable import Articles

/// The daemon run in-process with `AkhbarTesting`: temporary folders, a real drop folder, store and
/// socket, stopped by its service group's graceful shutdown rather than a signal.
@Suite(.serialized) struct InProcessDaemonTests {
    @Test func aGracefulShutdownStopsItWithEveryCommittedFileWhole() async throws {
        let daemon = try TestDaemon()
        defer { daemon.remove() }
        let marker = "زيتونةمختبرية"
        let article = "خبر عن \(marker)\n\nقال المتحدث إن الاجتماع ناقش \(marker) وخطة العمل للمرحلة المقبلة.\n"
        try daemon.drop("one.txt", article)
        // Found through the real socket: the file was watched, parsed, committed and is served.
        try await daemon.eventually("the dropped article found") { try await daemon.client.search(marker).count == 1 }

        // A second file, then the stop at once: a graceful stop commits what is in hand.
        try daemon.drop("two.txt", article.replacingOccurrences(of: marker, with: marker + "ثان"))
        let stopping = ContinuousClock.now
        try await daemon.stop()
        #expect(ContinuousClock.now - stopping < .seconds(2), "the stop took too long")
        #expect(!FileManager.default.fileExists(atPath: daemon.configuration.socket), "the socket file was left behind")

        // The store is closed and whole: it opens again with the first article. The second is
        // committed or left for the next start's reconcile, never half-written.
        let store = try ArticleStore(path: daemon.configuration.store)
        let found = try await store.search(SearchParameters(query: marker, limit: 10, collapse: false))
        #expect(found.map(\.path) == [daemon.configuration.dropFolder + "/one.txt"])
    }

    /// A file holding a headline and nothing else, in UTF-8 or in Windows-1256, is an article
    /// found by its title and marked headline-only.
    @Test func headlinesAloneAreArticles() async throws {
        try await TestDaemon.with { daemon in
            try daemon.drop("flash.txt", "عاجل: انقطاع الكهرباء عن حي زيتونةالاختبار\n")
            let caption = "كاريكاتير زيتونةالرسام"
            let bytes = caption.unicodeScalars.map { Windows1256.encode($0)! }
            try Data(bytes).write(to: URL(fileURLWithPath: daemon.configuration.dropFolder + "/cartoon.txt"))
            for word in ["زيتونةالاختبار", "زيتونةالرسام"] {
                try await daemon.eventually("\(word) found") { try await daemon.client.search(word).count == 1 }
                let hit = try #require(try await daemon.client.search(word).first)
                let article = try await daemon.client.call(
                    ArticlesInterface.Method.get.rawValue, GetParameters(id: hit.id), as: GetReply.self
                ).article
                #expect(article.headlineOnly == true)
                #expect(article.body.isEmpty)
            }
            #expect(try await daemon.client.stats().rejected == 0)
        }
    }

    /// Two daemons at once in one process, each ingesting and answering through its own socket
    /// while the other is busy: the test client used to wait for replies on the cooperative pool,
    /// and with two daemons on two cores no thread was left to make them.
    @Test(.timeLimit(.minutes(1))) func twoDaemonsRunSideBySide() async throws {
        @Sendable func run(_ marker: String) async throws -> Int {
            try await TestDaemon.with { daemon in
                for index in 0..<20 {
                    try daemon.drop(
                        "\(index).txt", "خبر \(index) عن \(marker)\n\nنص الخبر رقم \(index) عن \(marker).\n")
                }
                try await daemon.eventually("\(marker) ingested") {
                    try await daemon.client.search(marker, limit: 50).count == 20
                }
                return try await daemon.client.stats().articles
            }
        }
        async let first = run("زيتونةالأولى")
        async let second = run("زيتونةالثانية")
        #expect(try await [first, second] == [20, 20])
    }

    /// How people type, against the seeds: the relevant seeds, with no other seed ranked above them.
    static let typedForms: [(query: String, relevant: Set<String>)] = [
        ("الامريكيه", ["000", "002", "003", "004"]),
        ("تعثرت", ["000"]),
        ("مصراتة", ["002"]),
        ("مصراته", ["002"]),
        ("الناظوري", ["000", "001", "002"]),
        ("حفتر", ["002", "003"]),
        ("أميركا", ["002", "004"]),
        ("\"عبدالرازق الناظوري\"", ["000", "001"]),
        ("(مصراتة OR تعثرت) -حفتر", ["000"]),
    ]

    @Test("typed forms find the relevant seeds ranked first", arguments: typedForms)
    func typedForm(query: String, relevant: Set<String>) async throws {
        try #require(TestArticles.seeds.count == 5, "the five seed files are in seeds/")
        try await TestDaemon.with(files: TestArticles.seeds) { daemon in
            try await daemon.eventually("the five seeds ingested") { try await daemon.client.stats().articles == 5 }
            let found = try await daemon.client.search(query, limit: 20).compactMap { hit in
                hit.path.map { String(($0 as NSString).lastPathComponent.prefix(3)) }
            }
            #expect(
                Set(found.prefix(relevant.count)) == relevant,
                "\(query) found \(found), expected \(relevant.sorted()) first")
        }
    }
}
