import Foundation

/// The drop-file texts the in-process suites share.
enum TestArticles {
    /// A made-up article carrying a marker word that nothing else contains.
    static func sample(_ marker: String) -> String {
        "خبر تجريبي عن اجتماع اللجنة \(marker)\n\nقال المتحدث باسم اللجنة إن الاجتماع ناقش خطة العمل \(marker).\n"
    }

    /// The five seed articles, by file name.
    static let seeds: [String: String] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../seeds")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return Dictionary(
            uniqueKeysWithValues: names.map { name in
                (name, (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? "")
            })
    }()
}
