import Foundation
import Testing

@testable import Articles

/// Locations relative to this file, with symlinks resolved so the tests also find the repo when
/// built from a package that links the test folder in.
enum TestPaths {
    static let repoRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let seeds = repoRoot.appendingPathComponent("seeds")

    /// The shared edge-case corpus that sits beside the repo; may be absent.
    static let edgeCases = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/edge-cases")

    static func seed(_ prefix: String) throws -> (bytes: [UInt8], name: String) {
        let names = try FileManager.default.contentsOfDirectory(atPath: seeds.path)
        let name = try #require(names.first { $0.hasPrefix(prefix) }, "seed \(prefix) missing in \(seeds.path)")
        let data = try Data(contentsOf: seeds.appendingPathComponent(name))
        return ([UInt8](data), name)
    }
}

/// Parses a file that must yield exactly one article.
func parseArticle(_ bytes: [UInt8], name: String = "article.txt") throws -> Article {
    let file = try DropFileParser().parse(bytes, fileName: name)
    #expect(file.items.count == 1)
    let item = try #require(file.items.first)
    guard case .article(let article) = item.content else {
        Issue.record("expected an article, got \(item.content)")
        throw DropFileRejection("not an article")
    }
    return article
}

func parseArticle(_ text: String, name: String = "article.txt") throws -> Article {
    try parseArticle(Array(text.utf8), name: name)
}

/// The rejection reason for a file that must be rejected as a whole.
func rejection(_ bytes: [UInt8], name: String = "article.txt") -> String? {
    do {
        _ = try DropFileParser().parse(bytes, fileName: name)
        return nil
    } catch {
        return error.reason
    }
}

extension DropFile.Content {
    var article: Article? {
        if case .article(let article) = self { return article }
        return nil
    }

    var rejectionReason: String? {
        if case .rejected(let reason) = self { return reason }
        return nil
    }
}
