import AkhbarProtocol
import AkhbarTesting
import Foundation
import Testing

/// The five seeds searched through the daemon's socket, on a daemon run in-process.
@Suite("Searching the seeds") struct InProcessSeedSearchTests {
    /// A word that occurs in one seed only.
    static let ownWords = [
        "000": "استضافته", "001": "وليامز", "002": "بوتسوانا", "003": "الاستخباراتية", "004": "المبعوثة",
    ]

    /// The seeds `query` finds, by their numbers, best first.
    private func seedsFound(by query: String, in daemon: TestDaemon) async throws -> [String] {
        try await daemon.client.search(query, limit: 20).compactMap { hit in
            hit.path.map { String(($0 as NSString).lastPathComponent.prefix(3)) }
        }
    }

    @Test("each seed is found, first, by a word of its own")
    func ownWords() async throws {
        try await TestDaemon.with(files: TestArticles.seeds) { daemon in
            try await daemon.eventually("the five seeds ingested") { try await daemon.client.stats().articles == 5 }
            for (seed, word) in Self.ownWords.sorted(by: { $0.key < $1.key }) {
                let found = try await seedsFound(by: word, in: daemon)
                #expect(found.first == seed, "search \(word) found \(found), expected \(seed) first")
            }
        }
    }

    @Test("spelling and diacritics: تعثرت, الناظوري, مصراته")
    func spelling() async throws {
        try await TestDaemon.with(files: TestArticles.seeds) { daemon in
            try await daemon.eventually("the five seeds ingested") { try await daemon.client.stats().articles == 5 }
            // 000 writes تعثّرت, with a shadda.
            let diacritics = try await seedsFound(by: "تعثرت", in: daemon)
            #expect(diacritics.first == "000", "تعثرت found \(diacritics)")
            // The three seeds that name him rank above the two that do not.
            let name = try await seedsFound(by: "الناظوري", in: daemon)
            #expect(Set(name.prefix(3)) == ["000", "001", "002"], "الناظوري found \(name)")
            let city = try await seedsFound(by: "مصراته", in: daemon)
            #expect(city.first == "002", "مصراته found \(city)")
        }
    }
}
