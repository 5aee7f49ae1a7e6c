import Testing

@testable import AkhbarStore

/// The near-duplicate fingerprint: stores keep it, so it must not change from one version to the
/// next, and it must put copies a few bits apart and other stories far apart.
struct SimHashTests {
    private let story = (1...40).map { "الجملة \($0) من خبر عن اجتماع المجلس البلدي في مدينة درنة يوم الأحد" }
        .joined(separator: " ")

    /// The fingerprint as first defined: each shingle adds one to a bit's weight where it has the
    /// bit and takes one away where it lacks it; the bits of positive weight are set.
    private func weighed(_ text: String) -> UInt64? {
        let shingles = SimHash.shingles(of: text)
        guard shingles.count >= SimHash.minimumShingles else { return nil }
        var weights = [Int](repeating: 0, count: 64)
        for shingle in shingles {
            for bit in 0..<64 { weights[bit] += (shingle >> UInt64(bit)) & 1 == 1 ? 1 : -1 }
        }
        return (0..<64).reduce(0) { weights[$1] > 0 ? $0 | 1 << UInt64($1) : $0 }
    }

    @Test func fingerprintsAreThoseStoresAlreadyHold() {
        var texts = [story, story + " وأضاف المصدر أن الاجتماع سيستأنف غدا", String(story.reversed())]
        // Every length from too short to a few hundred words, so ties and odd counts come up.
        let words = story.split(separator: " ")
        texts += stride(from: 18, to: words.count, by: 7).map { words.prefix($0).joined(separator: " ") }
        for text in texts {
            #expect(SimHash(text: text)?.value == weighed(text), "\(text.prefix(40))…")
        }
        #expect(SimHash(text: "خبر قصير") == nil)
        // As the first version computed it.
        #expect(SimHash(text: story)?.value == 0xC8FA_CF01_069F_29D1)
    }

    @Test func copiesAreNearAndOtherStoriesFar() throws {
        let original = try #require(SimHash(text: story))
        let edited = try #require(SimHash(text: story + " وأضاف المصدر أن الاجتماع سيستأنف غدا"))
        let other = try #require(
            SimHash(
                text: (1...40).map { "وصلت شحنة \($0) من القمح إلى ميناء بنغازي صباح اليوم" }.joined(separator: " ")))
        #expect(original.distance(to: edited) <= SimHash.maximumDistance)
        #expect(original.distance(to: other) > SimHash.maximumDistance)
    }
}
