/// Reads articles from `.json` (one object, or an array of objects) and JSON Lines files.
///
/// Field names are matched as scrapers write them (case-insensitive): title/headline/head_line,
/// content/text/body, date/published/date_extracted, author, source/outlet/sitename, url.
/// Values of the wrong type are coerced where the meaning is clear (a list of paragraphs, an
/// epoch number, an author object with a name) and otherwise kept, like every field Akhbar has no
/// column for, in `extraFields`. One bad element or line is rejected on its own.
enum JSONArticleReader {
    static func readDocument(_ text: String) throws(DropFileRejection) -> DropFile {
        let bytes = Array(text.utf8)
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        guard parser.peek() == UInt8(ascii: "[") else {
            let value: JSONValue
            do {
                value = try JSONParser.parseDocument(bytes)
            } catch {
                // Several objects, one per line, in a file named .json: read it as JSON Lines.
                if error.message.hasPrefix("unexpected text after"), let lines = try? readLines(text) { return lines }
                throw DropFileRejection("invalid JSON: \(error)")
            }
            let item = DropFile.Item(position: 0, content: content(value, original: text.trimmingWhitespace()))
            return try keepingArticles([item])
        }
        _ = parser.consume(UInt8(ascii: "["))
        if parser.consume(UInt8(ascii: "]")) { throw DropFileRejection("empty: the JSON array has no articles") }
        var items: [DropFile.Item] = []
        while true {
            parser.skipWhitespace()
            let start = parser.position
            do {
                let value = try parser.parseValue(depth: 1)
                let original = String(decoding: bytes[start..<parser.position], as: UTF8.self)
                items.append(.init(position: items.count, content: content(value, original: original)))
                if parser.consume(UInt8(ascii: ",")) { continue }
                if parser.consume(UInt8(ascii: "]")) { break }
                throw parser.error("expected ',' or ']'")
            } catch {
                // Nothing after a syntax error can be trusted to line up with elements.
                if items.isEmpty { throw DropFileRejection("invalid JSON: \(error)") }
                items.append(
                    .init(
                        position: items.count,
                        content: .rejected(reason: "invalid JSON from element \(items.count) on: \(error)")))
                break
            }
        }
        return try keepingArticles(items)
    }

    static func readLines(_ text: String) throws(DropFileRejection) -> DropFile {
        var items: [DropFile.Item] = []
        for (offset, line) in text.lines.enumerated() {
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty { continue }
            let lineNumber = offset + 1
            do {
                let value = try JSONParser.parseDocument(Array(trimmed.utf8))
                items.append(.init(position: lineNumber, content: content(value, original: trimmed, line: lineNumber)))
            } catch {
                items.append(
                    .init(
                        position: lineNumber, content: .rejected(reason: "line \(lineNumber): invalid JSON: \(error)")))
            }
        }
        if items.isEmpty { throw DropFileRejection("empty: no JSON lines") }
        return try keepingArticles(items)
    }

    /// The file, unless not one item in it is an article.
    private static func keepingArticles(_ items: [DropFile.Item]) throws(DropFileRejection) -> DropFile {
        guard items.contains(where: { if case .article = $0.content { true } else { false } }) else {
            if items.count == 1, case .rejected(let reason) = items[0].content { throw DropFileRejection(reason) }
            let first = items.first.flatMap { if case .rejected(let reason) = $0.content { reason } else { nil } } ?? ""
            throw DropFileRejection("no readable article in \(items.count) items; first: \(first)")
        }
        return DropFile(items: items)
    }

    private static func content(_ value: JSONValue, original: String, line: Int? = nil) -> DropFile.Content {
        let prefix = line.map { "line \($0): " } ?? ""
        guard case .object(let members) = value else { return .rejected(reason: prefix + "not a JSON object") }
        switch article(members, original: original) {
        case .success(let article): return .article(article)
        case .failure(let failure): return .rejected(reason: prefix + failure.reason)
        }
    }

    private struct Failure: Error { var reason: String }

    private enum Field: CaseIterable {
        case title, body, date, author, outlet, url

        var names: [String] {
            switch self {
            case .title: ["title", "headline", "head_line"]
            case .body: ["content", "text", "body", "article", "article_body"]
            case .date: ["date", "published", "date_extracted", "published_at", "date_published", "pubdate"]
            case .author: ["author", "authors", "byline"]
            case .outlet: ["source", "outlet", "sitename", "site_name"]
            case .url: ["url", "link"]
            }
        }
    }

    private static func article(_ members: [JSONValue.Member], original: String) -> Result<Article, Failure> {
        var used = Set<Int>()
        /// The first member named for `field` whose value `convert` accepts.
        func take<T>(_ field: Field, _ convert: (JSONValue) -> T?) -> T? {
            for name in field.names {
                for (index, member) in members.enumerated()
                where !used.contains(index) && member.key.lowercased() == name {
                    if let converted = convert(member.value) {
                        used.insert(index)
                        return converted
                    }
                }
            }
            return nil
        }

        let title = take(.title) { text($0, separator: " ") }.map { HTMLEntities.decode($0).trimmingWhitespace() }
        let content = take(.body) { text($0, separator: "\n\n") } ?? ""
        let paragraphs = BodyCleaner.paragraphs(from: content.lines)
        let date = take(.date, date)
        let author = take(.author, authorName).map { HTMLEntities.decode($0).trimmingWhitespace() }
        let outlet = take(.outlet) { text($0, separator: " ") }.map { HTMLEntities.decode($0).trimmingWhitespace() }
        let url = take(.url, firstString)?.trimmingWhitespace()
        let datelined = paragraphs.first.flatMap { DatelineParser.parse($0) }

        var finalTitle = title ?? ""
        var titleIsDerived = false
        if finalTitle.isEmpty {
            guard let first = paragraphs.first else { return .failure(Failure(reason: "no title and no text")) }
            finalTitle = derivedTitle(first)
            titleIsDerived = true
        }
        let extras = members.indices.filter { !used.contains($0) && members[$0].value != .null }.map { members[$0] }
        return .success(
            Article(
                title: finalTitle, titleIsDerived: titleIsDerived, body: paragraphs.joined(separator: "\n\n"),
                outlet: outlet.flatMap { $0.isEmpty ? nil : Outlets.knownName($0) ?? $0 },
                author: author.flatMap { $0.isEmpty ? nil : $0 },
                date: date ?? datelined?.date, dateline: datelined?.dateline,
                url: url.flatMap { $0.isEmpty ? nil : $0 },
                extraFields: extras.isEmpty ? nil : JSONValue.object(extras).jsonText,
                original: original
            ))
    }

    private static func derivedTitle(_ paragraph: String) -> String {
        let words = paragraph.unicodeScalars.split(whereSeparator: \.isBlank).prefix(21).map {
            String(String.UnicodeScalarView($0))
        }
        let sentenceEnd = words.firstIndex { word in [".", "!", "?", "؟"].contains { word.hasSuffix($0) } }
        if let sentenceEnd, sentenceEnd < 20 { return words[...sentenceEnd].joined(separator: " ") }
        return words.count > 20 ? words.prefix(20).joined(separator: " ") + "…" : words.joined(separator: " ")
    }

    // MARK: - Coercions

    private static func text(_ value: JSONValue, separator: String) -> String? {
        switch value {
        case .string(let text): return text
        case .array(let elements):
            let parts = elements.compactMap { if case .string(let text) = $0 { text } else { nil } }
            return parts.isEmpty ? nil : parts.joined(separator: separator)
        default: return nil
        }
    }

    private static func firstString(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .array(let elements): return elements.lazy.compactMap { firstString($0) }.first
        default: return nil
        }
    }

    private static func authorName(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .array(let elements):
            let names = elements.compactMap(authorName)
            return names.isEmpty ? nil : names.joined(separator: "، ")
        case .object(let members):
            return members.first { ["name", "display_name", "full_name"].contains($0.key.lowercased()) }.flatMap {
                authorName($0.value)
            }
        default: return nil
        }
    }

    /// ISO-like timestamps keep their wall-clock time (a zone suffix is dropped: the store keeps
    /// dates as written); epoch numbers are read as UTC; anything else goes to the Arabic parser.
    private static func date(_ value: JSONValue) -> ArticleDate? {
        switch value {
        case .string(let text):
            let trimmed = text.trimmingWhitespace()
            // "2015-07-21 02:16:20", "2015-07-21T02:16:20.123+03:00": the part before any
            // fraction or zone.
            let isoCore = trimmed.prefix { $0.isASCII && ($0.isNumber || "-:/T ".contains($0)) }
            if isoCore.count >= 10, let date = ArabicDateParser.parseLine(isoCore) { return date }
            return ArabicDateParser.parseLine(trimmed)
        case .number(let text):
            guard let seconds = Double(text), seconds.isFinite, seconds > 0 else { return nil }
            return epochDate(seconds > 1e11 ? seconds / 1000 : seconds)
        default:
            return nil
        }
    }

    private static func epochDate(_ seconds: Double) -> ArticleDate? {
        guard seconds < 4_102_444_800 else { return nil }  // 2100-01-01
        let total = Int(seconds)
        let days = total / 86_400
        let secondOfDay = total % 86_400
        let (year, month, day) = CivilDay.date(Int32(days))
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let value =
            "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))"
        return ArticleDate(value: value, precision: .second)
    }
}
