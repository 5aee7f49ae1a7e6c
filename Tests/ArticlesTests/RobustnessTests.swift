import Foundation
import Testing
@testable import Articles

/// The parser must return or throw for any input, quickly: it runs unattended on whatever lands
/// in the drop folder.
@Suite struct RobustnessTests {
    private static let formats = ["a.txt", "a.json", "a.jsonl", "a"]

    @Test func randomBytes() {
        var generator = SplitMix64(seed: 42)
        for round in 0..<400 {
            let length = Int.random(in: 0...2048, using: &generator)
            // Bias towards bytes that look like text, JSON and Arabic UTF-8 so the readers get exercised.
            let alphabet: [UInt8] = Array("{}[]\":,\\ \n\r-0123456789tfnu".utf8) + [0xD8, 0xD9, 0xA7, 0x84, 0x85, 0xEF, 0xBB, 0xBF, 0xFF, 0xFE, 0x00]
            let bytes = (0..<length).map { _ in
                Bool.random(using: &generator) ? alphabet.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
            }
            _ = try? DropFileParser().parse(bytes, fileName: Self.formats[round % Self.formats.count])
        }
    }

    @Test func truncationsAndMutationsOfSeeds() throws {
        var generator = SplitMix64(seed: 9)
        for prefix in ["000_", "002_", "003_", "004_"] {
            let seed = try TestPaths.seed(prefix).bytes
            for cut in stride(from: 0, to: seed.count, by: 97) {
                _ = try? DropFileParser().parse(Array(seed[..<cut]), fileName: "s.txt")
            }
            for _ in 0..<60 {
                var bytes = seed
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
                _ = try? DropFileParser().parse(bytes, fileName: "s.txt")
            }
        }
    }

    @Test func truncationsOfJSON() {
        let json = Array(#"[{"title":"عنوان \u0645","content":["فقرة", "أخرى"],"date":"2015-07-21 02:16:20","author":{"name":"س"}},{"title":"ب","x":[1,2.5e3,true,null]}]"#.utf8)
        for cut in 0...json.count {
            _ = try? DropFileParser().parse(Array(json[..<cut]), fileName: "a.json")
            _ = try? DropFileParser().parse(Array(json[..<cut]), fileName: "a.jsonl")
        }
    }

    @Test func longLinesAndManyLinesStayFast() throws {
        let sentence = "افتتحت البلدية اليوم مكتبة عامة جديدة في حي النخيل. "
        let oneLine = String(repeating: sentence, count: 20_000)  // about 2 MB on one line
        let manyLines = (0..<20_000).map { "\($0) \(sentence)" }.joined(separator: "\n")
        for text in [oneLine, manyLines] {
            let start = Date()
            _ = try parseArticle(text)
            #expect(Date().timeIntervalSince(start) < 10)
        }
    }

    @Test func typicalArticleParsesWellUnderAMillisecond() throws {
        let seed = try TestPaths.seed("003_").bytes
        let parser = DropFileParser()
        _ = try parser.parse(seed, fileName: "s.txt")
        let runs = 200
        let start = Date()
        for _ in 0..<runs { _ = try parser.parse(seed, fileName: "s.txt") }
        let perParse = Date().timeIntervalSince(start) / Double(runs)
        print("parse time for seed 003 (\(seed.count) bytes): \(Int(perParse * 1_000_000)) µs")
        // Debug builds are several times slower than release; this bound only catches blow-ups.
        #expect(perParse < 0.02)
    }
}
