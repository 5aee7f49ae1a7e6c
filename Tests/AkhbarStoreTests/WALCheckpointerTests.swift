import AkhbarProtocol
import Articles
import Foundation
import Testing

@testable import AkhbarStore

/// The write-ahead log of a real store file, checkpointed off the writer.
struct WALCheckpointerTests {
    let temporary: TemporaryFolder
    var folder: String { temporary.path }
    var path: String { folder + "/store.sqlite" }

    init() throws {
        temporary = try TemporaryFolder("akhbar-wal")
    }

    /// `count` files of one article each, numbered from `first`, with bodies of distinct words, so
    /// that every batch adds pages to the index.
    private func batch(_ count: Int, from first: Int) -> [IngestItem] {
        let letters = Array("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")
        func word(_ number: Int) -> String {
            var number = number
            var word = ""
            repeat {
                word.append(letters[number % letters.count])
                number /= letters.count
            } while number > 0
            return word + "ات"
        }
        return (first..<first + count).map { index in
            let body = (0..<300).map { word(index * 300 + $0) }.joined(separator: " ")
            let file = DropFile(items: [
                .init(position: 0, content: .article(Article(title: "خبر \(index)", body: body, original: body)))
            ])
            return .parsed(
                path: "/d/\(index).txt", stamp: FileStamp(inode: UInt64(index), size: 100, mtime: 1),
                file: PreparedFile(file))
        }
    }

    private func size(_ file: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
    }

    /// The hook replaces SQLite's automatic checkpoint, which would have kept the log near 4 MB.
    @Test func theAutomaticCheckpointIsOff() async throws {
        let store = try ArticleStore(path: path, rankedMatches: 1_000, walLimits: .init(background: .max, writer: .max))
        let initial = size(path)
        for round in 0..<20 {
            _ = try await store.apply(batch(20, from: round * 20))
        }
        #expect(size(path + "-wal") > 12_000_000)
        #expect(size(path) == initial)
    }

    /// Committing batch after batch, the log never restarts (no transaction begins with all of it
    /// copied), but the background copies it into the store as it grows.
    @Test func backgroundCheckpointsCopyTheLogDuringASteadyIngest() async throws {
        let store = try ArticleStore(path: path, rankedMatches: 1_000, walLimits: .init(background: 50, writer: .max))
        let initial = size(path)
        for round in 0..<20 {
            _ = try await store.apply(batch(20, from: round * 20))
        }
        try await store.checkpointer.waitForBackground()
        #expect(size(path) > initial + 1_000_000, "the store file has the articles")
    }

    /// A pause between commits lets the background catch up, and the next commit writes the log
    /// from its start again.
    @Test func theLogRestartsOnceTheBackgroundHasCaughtUp() async throws {
        let store = try ArticleStore(path: path, rankedMatches: 1_000, walLimits: .init(background: 50, writer: .max))
        for round in 0..<20 {
            _ = try await store.apply(batch(20, from: round * 20))
            try await store.checkpointer.waitForBackground()
        }
        // Unchecked, the log would hold every page ever written: more than the store file.
        #expect(size(path + "-wal") * 2 < size(path), "the log is reused, not appended to for ever")
        #expect(try await store.search(SearchParameters(query: "خبر", limit: 1000, collapse: false)).count == 400)
    }

    @Test func theWriterRestartsTheLogAtItsLimit() async throws {
        let store = try ArticleStore(path: path, rankedMatches: 1_000, walLimits: .init(background: .max, writer: 100))
        for round in 0..<20 {
            _ = try await store.apply(batch(20, from: round * 20))
        }
        #expect(size(path + "-wal") * 2 < size(path))
        #expect(try await store.search(SearchParameters(query: "خبر", limit: 1000, collapse: false)).count == 400)
    }

    @Test func anIdleCheckpointEmptiesTheLog() async throws {
        let store = try ArticleStore(path: path)
        for round in 0..<5 {
            _ = try await store.apply(batch(20, from: round * 20))
        }
        #expect(size(path + "-wal") > 0)
        #expect(try await store.checkpoint())
        #expect(size(path + "-wal") == 0)
        #expect(try await store.counts().articles == 100)
    }
}
