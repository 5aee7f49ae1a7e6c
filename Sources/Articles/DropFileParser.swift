/// Turns the bytes of a drop file into articles.
///
/// Pure: no I/O, no shared state, safe to call from any thread. The format follows the file
/// name's extension: `.json` (one article object or an array of them), `.jsonl`/`.ndjson` (one
/// object per line), anything else plain text in one of the layouts `PlainTextArticleReader`
/// knows. Encodings are detected by `TextDecoding`.
public struct DropFileParser: Sendable {
    /// Files larger than this are rejected unread.
    public var maxFileSize: Int

    public init(maxFileSize: Int = 10 << 20) {
        self.maxFileSize = maxFileSize
    }

    /// Parses one file. Throws when nothing in the file can be ingested.
    public func parse(_ bytes: [UInt8], fileName: String) throws(DropFileRejection) -> DropFile {
        if bytes.count > maxFileSize {
            throw DropFileRejection("file is \(bytes.count) bytes, over the \(maxFileSize)-byte limit")
        }
        let text = try TextDecoding.decode(bytes).text
        switch Self.fileExtension(fileName) {
        case "json":
            return try JSONArticleReader.readDocument(text)
        case "jsonl", "ndjson":
            return try JSONArticleReader.readLines(text)
        default:
            let article = try PlainTextArticleReader.read(text)
            return DropFile(items: [.init(position: 0, content: .article(article))])
        }
    }

    private static func fileExtension(_ fileName: String) -> String {
        let name = fileName.split(separator: "/").last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }
}
