import Foundation
import Testing

@testable import Articles

/// Encodings and line ends, built in the test so no fixture file is needed.
@Suite struct TextDecodingTests {
    static let sample =
        "مكتبة عامة جديدة في حي النخيل\n\nالأحد 26 يوليو 2015 - 10:15 م\nصحيفة الاختبار\n\nافتتحت البلدية اليوم مكتبة عامة جديدة، تضم «خمسة آلاف» كتاب.\n\nوقال المدير: نرحب بالجميع."

    private func checkSample(_ article: Article) {
        #expect(article.title == "مكتبة عامة جديدة في حي النخيل")
        #expect(article.date == ArticleDate(value: "2015-07-26T22:15", precision: .minute))
        #expect(article.outlet == "صحيفة الاختبار")
        #expect(
            article.body == "افتتحت البلدية اليوم مكتبة عامة جديدة، تضم «خمسة آلاف» كتاب.\n\nوقال المدير: نرحب بالجميع."
        )
    }

    @Test func windows1256RoundTrip() throws {
        let bytes = try Self.sample.unicodeScalars.map { try #require(Windows1256.encode($0)) }
        #expect(String(validating: bytes, as: UTF8.self) == nil, "the sample must not be valid UTF-8")
        let decoded = try TextDecoding.decode(bytes)
        #expect(decoded.encoding == .windows1256)
        #expect(decoded.text == Self.sample)
        checkSample(try parseArticle(bytes))
    }

    @Test func windows1256TableIsABijectionOnItsRange() {
        for byte in UInt8(0)...UInt8(255) {
            let scalar = Windows1256.decode([byte][...]).unicodeScalars.first!
            #expect(Windows1256.encode(scalar) == byte)
        }
    }

    @Test(arguments: [false, true])
    func utf16WithBOM(bigEndian: Bool) throws {
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in Self.sample.utf16 {
            let high = UInt8(unit >> 8)
            let low = UInt8(unit & 0xFF)
            bytes += bigEndian ? [high, low] : [low, high]
        }
        let decoded = try TextDecoding.decode(bytes)
        #expect(decoded.encoding == (bigEndian ? .utf16BigEndian : .utf16LittleEndian))
        #expect(decoded.text == Self.sample)
        checkSample(try parseArticle(bytes))
    }

    @Test func crlfWithBOM() throws {
        let bytes = [0xEF, 0xBB, 0xBF] + Array(Self.sample.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        let decoded = try TextDecoding.decode(bytes)
        #expect(decoded.text == Self.sample)
        let article = try parseArticle(bytes)
        checkSample(article)
        #expect(!article.original.contains("\r"))
    }

    @Test func bareCarriageReturns() throws {
        checkSample(try parseArticle(Array(Self.sample.replacingOccurrences(of: "\n", with: "\r").utf8)))
    }

    @Test func emptyInputsAreRejectedAsEmpty() {
        let inputs: [[UInt8]] = [
            [],
            [0xEF, 0xBB, 0xBF],
            Array(" \t\n\r\n \u{A0}\u{A0}\u{2003}\n".utf8),
            [0xFF, 0xFE, 0x20, 0x00, 0x0A, 0x00],
        ]
        for bytes in inputs {
            let reason = rejection(bytes)
            #expect(reason?.hasPrefix("empty") == true, "\(bytes): \(reason ?? "accepted")")
        }
    }

    @Test func nulBytesAreRejected() {
        let bytes = Array("عنوان\nنص".utf8) + [0] + Array("المقال".utf8)
        #expect(rejection(bytes)?.contains("NUL") == true)
    }

    @Test func damagedUTF8IsRejectedWithItsOffset() {
        // Mostly UTF-8 Arabic with a few broken sequences: a damaged copy, not Windows-1256.
        let good = Array("المباراة النهائية في الملعب البلدي مساء اليوم\nوحضرها جمهور كبير من أهالي الحي.".utf8)
        let bytes =
            Array(good[0..<6]) + [0xFF, 0xFE] + Array(good[6...]) + [0xD8, 0x80, 0x80, 0xC0, 0xAF, 0xED, 0xA0, 0x80]
        let reason = rejection(bytes)
        #expect(reason?.contains("invalid UTF-8 at offset 6") == true, "\(reason ?? "accepted")")
    }

    @Test func truncatedUTF8IsRejected() {
        let bytes = Array("عنوان المقال\nنص المقال".utf8).dropLast()
        #expect(rejection(Array(bytes))?.contains("truncated") == true)
    }

    @Test func randomBytesAreNotText() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<50 {
            let bytes = (0..<512).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(rejection(bytes)?.hasPrefix("not text") == true)
        }
    }

    @Test func oneRepeatedByteIsNotText() {
        // 0xC7 is alef in Windows-1256, but 4 KB of it is not an article.
        #expect(rejection(Array(repeating: 0xC7, count: 4096))?.hasPrefix("not text") == true)
    }

    @Test func latinOnlyLegacyBytesAreNotGuessedAsArabic() {
        // Latin-1 "café crème" repeated: not UTF-8, and not Arabic when read as Windows-1256.
        let bytes = Array(
            repeating: [0x63, 0x61, 0x66, 0xE9, 0x20, 0x63, 0x72, 0xE8, 0x6D, 0x65, 0x0A] as [UInt8], count: 20
        ).flatMap { $0 }
        #expect(rejection(bytes)?.contains("neither UTF-8 nor Windows-1256") == true)
    }

    /// A headline alone in Windows-1256 (a cartoon's caption): too short for the test a whole text
    /// passes, and Arabic all the same.
    @Test(arguments: [
        "كاريكاتير", "الكاريكاتير\n", "كاريكاتير 2015/7/31", "عاجل: انقطاع الكهرباء", "\"اضرب بيد من حديد\"\n كاتب",
        "جمعية تساعد 22 شاباً على الزواج\n كاتب\n",
    ])
    func windows1256Headline(_ headline: String) throws {
        let bytes = try headline.unicodeScalars.map { try #require(Windows1256.encode($0)) }
        let decoded = try TextDecoding.decode(bytes)
        #expect(decoded.encoding == .windows1256)
        #expect(decoded.text == headline)
        let article = try parseArticle(bytes)
        #expect(article.title == headline.split(separator: "\n")[0].trimmingCharacters(in: .whitespaces))
    }

    /// Short runs of bytes that are no Arabic text stay rejected as not text.
    @Test(
        arguments: [
            [0xE0, 0xE2, 0xE7, 0xE8, 0xE9, 0xEA, 0xEB, 0xEE],  // Latin letters with accents
            [0xC7, 0xE1, 0x01, 0xC8, 0xC7, 0xC8, 0x02, 0xCA],  // letters among control bytes
            [0xC7, 0xC7, 0xC7, 0xC7, 0xC8, 0xC7],  // too few distinct letters
        ] as [[UInt8]])
    func shortBytesThatAreNoText(_ bytes: [UInt8]) {
        #expect(rejection(bytes)?.hasPrefix("not text") == true)
    }
}

/// A small deterministic generator so that fuzz-style tests are repeatable.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
