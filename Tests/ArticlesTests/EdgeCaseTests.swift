import Foundation
import Testing

@testable import Articles

/// The shared edge-case folder, when it sits beside the repo, plus equivalents generated here so
/// the same cases are covered when it does not.
@Suite struct EdgeCaseTests {
    private static var sharedFolderPresent: Bool {
        FileManager.default.fileExists(atPath: TestPaths.edgeCases.appendingPathComponent("README.md").path)
    }

    /// Every file is either read or rejected with a reason; none crashes or hangs the parser.
    @Test(
        .enabled(
            if: sharedFolderPresent,
            "../shared/corpus/edge-cases is not beside the repository; the generated equivalents below still run"))
    func sharedEdgeCaseFolder() throws {
        let folder = TestPaths.edgeCases
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        var expectations: [String: (Outcome) -> Bool] = [
            "empty.txt": { $0.rejection?.hasPrefix("empty") == true },
            "whitespace-only.txt": { $0.rejection?.hasPrefix("empty") == true },
            "only-bom.txt": { $0.rejection?.hasPrefix("empty") == true },
            "binary-garbage.txt": { $0.rejection?.hasPrefix("not text") == true },
            "nul-bytes-in-text.txt": { $0.rejection?.contains("NUL") == true },
            "invalid-utf8-middle.txt": { $0.rejection?.contains("invalid UTF-8") == true },
            "truncated.json": { $0.rejection != nil },
            "array-of-articles.json": { $0.articleCount == 2 },
            "one-bad-line.jsonl": { $0.articleCount == 5 },
        ]
        for name in [
            "utf16le-bom.txt", "cr-only-newlines.txt", "dup-of-seed-003.txt", "heavy-tashkeel.txt",
            "mixed-arabic-english.txt", "presentation-forms.txt", "seed-003-whitespace-only-changes.txt",
            "title-only.txt", "zero-width-and-bidi-marks.txt", "wrong-types.json", "missing-and-extra-fields.json",
        ] {
            expectations[name] = { $0.articleCount == 1 }
        }
        var checked = 0
        for name in names.sorted() where !name.hasSuffix(".md") && !name.hasSuffix(".py") && name != ".gitignore" {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let outcome: Outcome
            do {
                let file = try DropFileParser().parse([UInt8](data), fileName: name)
                outcome = .articles(file.items.filter { $0.content.article != nil }.count)
                for item in file.items {
                    if let article = item.content.article { #expect(!article.title.isEmpty, "\(name)") }
                    if let reason = item.content.rejectionReason { #expect(!reason.isEmpty, "\(name)") }
                }
            } catch {
                outcome = .rejected(error.reason)
                #expect(!error.reason.isEmpty, "\(name)")
            }
            // Files this test does not know yet (say, the generated large ones) are held to the checks above.
            if let expectation = expectations[name] {
                #expect(expectation(outcome), "\(name): \(outcome)")
                checked += 1
            }
        }
        #expect(checked == expectations.count, "some expected edge-case files are missing")
    }

    @Test(.enabled(if: sharedFolderPresent, "../shared/corpus/edge-cases is not beside the repository"))
    func sharedSeedDuplicatesParseLikeTheSeed() throws {
        let changed = try Data(
            contentsOf: TestPaths.edgeCases.appendingPathComponent("seed-003-whitespace-only-changes.txt"))
        let seed = try TestPaths.seed("003_")
        let original = try parseArticle(seed.bytes)
        let article = try parseArticle([UInt8](changed))
        #expect(article.title == original.title)
        #expect(article.date == original.date)
        #expect(article.author == original.author)
        #expect(article.outlet == original.outlet)
        #expect(article.section == original.section)
        #expect(
            article.body.split(whereSeparator: \.isWhitespace) == original.body.split(whereSeparator: \.isWhitespace))
    }

    // MARK: - Generated equivalents

    @Test func titleOnlyFile() throws {
        let article = try parseArticle("افتتاح مكتبة عامة جديدة في حي النخيل")
        #expect(article.title == "افتتاح مكتبة عامة جديدة في حي النخيل")
        #expect(!article.titleIsDerived)
        #expect(article.body.isEmpty)
    }

    @Test func invisibleMarksAroundLines() throws {
        let text =
            "\u{FEFF}\u{202B}افتتاح مكتبة عامة\u{202C}\n\n\u{200F}الأحد 26 يوليو 2015 - 10:15 م\u{200F}\nصحيفة الاختبار\n\n\u{2067}افتتحت البلدية\u{200B} مكتبة\u{FEFF} جديدة.\u{2069}"
        let article = try parseArticle(text)
        #expect(article.title == "افتتاح مكتبة عامة")
        #expect(article.date?.value == "2015-07-26T22:15")
        #expect(article.outlet == "صحيفة الاختبار")
        #expect(article.body.hasPrefix("افتتحت البلدية"))
    }

    @Test func controlCharactersLeaveTheBody() throws {
        let article = try parseArticle("عنوان الخبر\nنص\u{1A} الخبر هنا.")
        #expect(article.body == "نص الخبر هنا.")
    }

    @Test func headerOnlyFileIsRejected() {
        let reason = rejection(Array("استمع إلى الملخص\n".utf8))
        #expect(reason?.hasPrefix("no article text") == true)
    }

    @Test func layoutEGluedCopyWithTitle() throws {
        let paragraphs = [
            "أقيمت فعالية سحور للإعلاميين للسنة الثانية على التوالي في مدينة الرياض مساء البارحة.",
            "وتهدف الفعالية إلى التعارف وتبادل الخبرات والتجارب الناجحة والمميزة بين الإعلاميين.",
            "واختتمت الفعالية بفقرة إنشادية وسحب على الجوائز.",
        ]
        let glued = String(paragraphs.joined().dropLast(20))
        let text =
            "بالصور.. سحور الإعلاميين بمدينة الرياض\n" + glued + "\n"
            + paragraphs.map { " " + $0 }.joined(separator: "\n")
        let article = try parseArticle(text)
        #expect(article.title == "بالصور.. سحور الإعلاميين بمدينة الرياض")
        #expect(article.body == paragraphs.joined(separator: "\n\n"))
    }

    @Test func oversizedFileIsRejectedUnread() {
        let parser = DropFileParser(maxFileSize: 10)
        #expect(throws: DropFileRejection.self) {
            try parser.parse(Array(repeating: 0x41, count: 11), fileName: "a.txt")
        }
    }
}

/// What parsing one edge-case file gave.
private enum Outcome: CustomStringConvertible {
    case articles(Int)
    case rejected(String)

    var rejection: String? {
        if case .rejected(let reason) = self { return reason }
        return nil
    }

    var articleCount: Int? {
        if case .articles(let count) = self { return count }
        return nil
    }

    var description: String {
        switch self {
        case .articles(let count): "\(count) article(s)"
        case .rejected(let reason): "rejected: \(reason)"
        }
    }
}
