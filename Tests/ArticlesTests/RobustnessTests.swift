import Foundation
import Testing

@testable import Articles

/// The parser must return or throw for any input, quickly: it runs unattended on whatever lands
/// in the drop folder. Whatever it returns must be something the store can keep: articles with
/// text, rejections with a reason, each at its own position.
@Suite struct RobustnessTests {
    private static let formats = ["a.txt", "a.json", "a.jsonl", "a"]

    /// What one parse came to, after checking it is well formed.
    private enum Outcome: Equatable {
        case rejected
        case parsed(articles: Int, rejections: Int)
    }

    private static func outcome(_ bytes: [UInt8], name: String, sourceLocation: SourceLocation = #_sourceLocation)
        -> Outcome
    {
        let file: DropFile
        do {
            file = try DropFileParser().parse(bytes, fileName: name)
        } catch {
            #expect(!error.reason.isEmpty, "a rejection without a reason", sourceLocation: sourceLocation)
            return .rejected
        }
        #expect(
            !file.items.isEmpty, "a file parsed into nothing, neither article nor rejection",
            sourceLocation: sourceLocation)
        #expect(
            Set(file.items.map(\.position)).count == file.items.count, "two items at one position",
            sourceLocation: sourceLocation)
        var articles = 0
        for item in file.items {
            switch item.content {
            case .article(let article):
                articles += 1
                let text = (article.title + article.body).trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(!text.isEmpty, "an article with no text", sourceLocation: sourceLocation)
            case .rejected(let reason):
                #expect(!reason.isEmpty, "an item rejected without a reason", sourceLocation: sourceLocation)
            }
        }
        return .parsed(articles: articles, rejections: file.items.count - articles)
    }

    @Test func randomBytes() {
        var generator = SplitMix64(seed: 42)
        var rejected = 0
        for round in 0..<400 {
            let length = Int.random(in: 0...2048, using: &generator)
            // Bias towards bytes that look like text, JSON and Arabic UTF-8 so the readers get exercised.
            let alphabet: [UInt8] =
                Array("{}[]\":,\\ \n\r-0123456789tfnu".utf8) + [
                    0xD8, 0xD9, 0xA7, 0x84, 0x85, 0xEF, 0xBB, 0xBF, 0xFF, 0xFE, 0x00,
                ]
            let bytes = (0..<length).map { _ in
                Bool.random(using: &generator)
                    ? alphabet.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
            }
            if Self.outcome(bytes, name: Self.formats[round % Self.formats.count]) == .rejected { rejected += 1 }
        }
        // Mostly binary noise: a parser that accepted it as articles would fill the archive with junk.
        #expect(rejected > 200, "only \(rejected) of 400 random inputs rejected")
    }

    @Test func truncationsAndMutationsOfSeeds() throws {
        var generator = SplitMix64(seed: 9)
        for prefix in ["000_", "002_", "003_", "004_"] {
            let seed = try TestPaths.seed(prefix).bytes
            #expect(Self.outcome(seed, name: "s.txt") == .parsed(articles: 1, rejections: 0), "seed \(prefix) whole")
            for cut in stride(from: 0, to: seed.count, by: 97) {
                _ = Self.outcome(Array(seed[..<cut]), name: "s.txt")
            }
            for _ in 0..<60 {
                var bytes = seed
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(
                        in: 0...255, using: &generator)
                }
                _ = Self.outcome(bytes, name: "s.txt")
            }
        }
    }

    @Test func truncationsOfJSON() {
        let json = Array(
            #"[{"title":"عنوان \u0645","content":["فقرة", "أخرى"],"date":"2015-07-21 02:16:20","author":{"name":"س"}},{"title":"ب","x":[1,2.5e3,true,null]}]"#
                .utf8)
        for cut in 0...json.count {
            _ = Self.outcome(Array(json[..<cut]), name: "a.json")
            _ = Self.outcome(Array(json[..<cut]), name: "a.jsonl")
        }
        #expect(Self.outcome(json, name: "a.json") == .parsed(articles: 2, rejections: 0))
        // Cut inside its second object, the array has one article left and nothing made up.
        let cut = Array(json[..<(json.count - 10)])
        #expect([Outcome.rejected, .parsed(articles: 1, rejections: 1)].contains(Self.outcome(cut, name: "a.json")))
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
