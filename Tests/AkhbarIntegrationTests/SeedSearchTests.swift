import Testing

@Suite("Searching the seeds through the akhbar client")
struct SeedSearchTests {
    /// A word that occurs in one seed only.
    static let ownWords = [
        "000": "استضافته", "001": "وليامز", "002": "بوتسوانا", "003": "الاستخباراتية", "004": "المبعوثة",
    ]

    @Test("each seed is found, first, by a word of its own")
    func ownWords() throws {
        try withDaemon(seeds: true) { daemon in
            daemon.eventually("the five seeds ingested") { try daemon.stats().articles == 5 }
            for (seed, word) in Self.ownWords.sorted(by: { $0.key < $1.key }) {
                let found = try daemon.seedsFound(by: word)
                #expect(found.first == seed, "akhbar search \(word) found \(found), expected \(seed) first")
            }
        }
    }

    @Test("spelling and diacritics: تعثرت, الناظوري, مصراته")
    func spelling() throws {
        try withDaemon(seeds: true) { daemon in
            daemon.eventually("the five seeds ingested") { try daemon.stats().articles == 5 }
            // 000 writes تعثّرت, with a shadda.
            let diacritics = try daemon.seedsFound(by: "تعثرت")
            #expect(diacritics.first == "000", "تعثرت found \(diacritics)")
            // The three seeds that name him rank above the two that do not.
            let name = try daemon.seedsFound(by: "الناظوري")
            #expect(Set(name.prefix(3)) == ["000", "001", "002"], "الناظوري found \(name)")
            let city = try daemon.seedsFound(by: "مصراته")
            #expect(city.first == "002", "مصراته found \(city)")
        }
    }
}
