/// Reads one article from a plain-text drop file.
///
/// A file opens with an optional header in any of the layouts scrapers produce: a masthead
/// (Latin and/or Arabic outlet name, "آخر الأخبار"), a section line, the title, a date line
/// followed by author and outlet lines, "نشر بتاريخ:" with or without a date, an "استمع إلى
/// الملخص" summary with bullets. The rest is the body; its first paragraph may open with a
/// dateline. Dates are only taken from these places, never from the body text, so a date inside a
/// quoted statement or an embedded tweet is not mistaken for the article's.
enum PlainTextArticleReader {
    static func read(_ text: String) throws(DropFileRejection) -> Article {
        let lines = text.lines.map { $0.trimmingWhitespace() }
        let header = Header(lines)
        let paragraphs = BodyCleaner.paragraphs(from: lines[header.bodyStart...])
        let datelined = paragraphs.first.flatMap { DatelineParser.parse($0) }

        var title = header.title.map { HTMLEntities.decode($0).trimmingWhitespace() }
        var titleIsDerived = false
        if title?.isEmpty ?? true {
            guard let derived = derivedTitle(paragraphs, dateline: datelined?.dateline) else {
                throw DropFileRejection("no article text: the file has only header lines")
            }
            title = derived
            titleIsDerived = true
        }
        return Article(
            title: title!, titleIsDerived: titleIsDerived, body: paragraphs.joined(separator: "\n\n"),
            outlet: header.outlet, section: header.section.map { HTMLEntities.decode($0) },
            author: header.author.map { HTMLEntities.decode($0).trimmingWhitespace() }.flatMap {
                $0.isEmpty ? nil : $0
            },
            date: header.date ?? datelined?.date, dateline: datelined?.dateline, original: text
        )
    }

    /// The first sentence of the body (after any dateline), at most `maxWords` words.
    private static func derivedTitle(_ paragraphs: [String], dateline: Dateline?) -> String? {
        let maxWords = 20
        for (index, paragraph) in paragraphs.enumerated() {
            var scalars = Substring(paragraph).unicodeScalars[...]
            if index == 0, let dateline, paragraph.hasPrefix(dateline.text) {
                scalars = scalars.dropFirst(dateline.text.unicodeScalars.count)
            }
            // "1. " opening a numbered paragraph is not a sentence of its own.
            scalars = withoutListNumber(scalars)
            let sentence = firstSentence(scalars).trimmingWhitespace()
            guard sentence.contains(where: \.isLetter) else { continue }
            let words = sentence.unicodeScalars.split(whereSeparator: \.isBlank)
            if words.count <= maxWords { return sentence }
            return words.prefix(maxWords).map { String(String.UnicodeScalarView($0)) }.joined(separator: " ") + "…"
        }
        return nil
    }

    /// `scalars` without a leading list number ("12.", "١٢-", "3)") and the spaces after it.
    private static func withoutListNumber(
        _ scalars: Substring.UnicodeScalarView.SubSequence
    ) -> Substring.UnicodeScalarView.SubSequence {
        let digits = scalars.prefix { $0.properties.numericType == .decimal }
        guard !digits.isEmpty, digits.count <= 3 else { return scalars }
        let rest = scalars.dropFirst(digits.count)
        guard let mark = rest.first, [".", ")", "-"].contains(mark) else { return scalars }
        let text = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
        // "2015." or "3.5" is no list number; nor is a number the text stops after.
        guard text.startIndex > rest.index(after: rest.startIndex) || text.first?.properties.isAlphabetic == true,
            text.contains(where: \.properties.isAlphabetic)
        else { return scalars }
        return text
    }

    private static func firstSentence(_ scalars: Substring.UnicodeScalarView.SubSequence) -> String {
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let next = scalars.index(after: index)
            if scalar == "\n" { return String(scalars[..<index]) }
            if [".", "!", "?", "؟"].contains(scalar) {
                // A full stop between digits is a decimal point, not the end of a sentence.
                let following = next < scalars.endIndex ? scalars[next] : nil
                let previousIsDigit =
                    index > scalars.startIndex && scalars[scalars.index(before: index)].properties.numericType != nil
                if following == nil || !(previousIsDigit && following!.properties.numericType != nil) {
                    return String(scalars[..<next])
                }
            }
            index = next
        }
        return String(scalars)
    }

    /// What the lines before the body say about the article.
    struct Header {
        var title: String?
        var section: String?
        var outlet: String?
        var author: String?
        var date: ArticleDate?
        /// Index of the first body line.
        var bodyStart = 0

        init(_ lines: [String]) {
            var headings: [(line: String, index: Int)] = []
            var headingsInBlock = 0
            // Set once a date line, masthead or summary marker shows this is a structured header.
            var structured = false
            var outletNames: [String] = []
            var index = 0
            scan: while index < min(lines.count, 40) {
                let line = lines[index]
                if line.isEmpty {
                    headingsInBlock = 0
                    index += 1
                    continue
                }
                if BodyCleaner.isSummaryMarker(line) {
                    structured = true
                    index += 1
                    while index < lines.count, lines[index].isEmpty || BodyCleaner.isSummaryBullet(lines[index]) {
                        index += 1
                    }
                    break scan
                }
                if let published = Self.publishedDateText(line) {
                    structured = true
                    date = ArabicDateParser.parseLine(published)
                    index += 1
                    break scan
                }
                if BodyCleaner.isBoilerplate(line) {
                    // A masthead block ending in "آخر الأخبار": its other lines name the outlet.
                    structured = true
                    outletNames += headings.suffix(headingsInBlock).map(\.line)
                    headings.removeLast(headingsInBlock)
                    headingsInBlock = 0
                    index += 1
                    continue
                }
                if let date = ArabicDateParser.parseLine(line) {
                    structured = true
                    self.date = date
                    index = readBylineBlock(lines, from: index + 1)
                    break scan
                }
                if let known = Outlets.knownName(line) {
                    structured = true
                    outletNames.append(known)
                    index += 1
                    continue
                }
                guard Self.isHeadingLike(line), headings.count < 3 else { break scan }
                headings.append((line, index))
                headingsInBlock += 1
                index += 1
                // A heading followed straight by body text is the title of a bare layout.
                if index < lines.count, !lines[index].isEmpty, !Self.isHeaderMaterial(lines[index]) { break scan }
            }
            bodyStart = index
            if !structured && headings.count > 1 {
                // Short lines with nothing header-like after them: a title and then body text.
                bodyStart = headings[1].index
                headings.removeLast(headings.count - 1)
            }
            title = headings.last?.line
            if headings.count >= 2, headings[headings.count - 2].line.wordCount <= 6 {
                section = headings[headings.count - 2].line
            }
            if outlet == nil {
                let arabic = outletNames.first { $0.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) } }
                if let name = arabic ?? outletNames.first { outlet = Outlets.knownName(name) ?? name }
            }
        }

        /// Author and outlet lines under a date line ("جهاد جميل" / "الأمصار"), ended by a blank
        /// line, or, in files whose blank lines were doubled, short lines each set apart by blank
        /// lines. Returns the index after the block, or the start when the lines are body text.
        private mutating func readBylineBlock(_ lines: [String], from start: Int) -> Int {
            var block: [String] = []
            var end = start
            if start < lines.count, lines[start].isEmpty {
                var index = start
                while index < lines.count, block.count < 3 {
                    if lines[index].isEmpty {
                        index += 1
                        continue
                    }
                    guard lines[index].wordCount <= 8, !lines[index].hasSuffix(".") else { break }
                    block.append(lines[index])
                    index += 1
                    end = index
                }
            } else {
                while end < lines.count, !lines[end].isEmpty, end - start < 4 { end += 1 }
                block = Array(lines[start..<end])
                let closed = end >= lines.count || lines[end].isEmpty
                guard closed, block.count <= 3, block.allSatisfy({ $0.unicodeScalars.count <= 260 }) else {
                    return start
                }
            }
            guard let outletLine = block.last else { return start }
            outlet = Outlets.knownName(outletLine) ?? HTMLEntities.decode(outletLine)
            if block.count >= 2 { author = block.first }
            return end
        }

        /// The text after "نشر بتاريخ:" (possibly empty) when the line is such a line.
        private static func publishedDateText(_ line: String) -> Substring? {
            for prefix in ["نشر بتاريخ", "تاريخ النشر", "نُشر بتاريخ"] where line.hasPrefix(prefix) {
                return line.dropFirst(prefix.count).drop { $0 == ":" || $0 == " " || $0 == "\u{A0}" }
            }
            return nil
        }

        private static func isHeadingLike(_ line: String) -> Bool {
            line.utf8.count <= 1040 && line.unicodeScalars.count <= 260 && line.wordCount <= 40
                && !BodyCleaner.isSummaryBullet(line)
        }

        private static func isHeaderMaterial(_ line: String) -> Bool {
            BodyCleaner.isSummaryMarker(line) || publishedDateText(line) != nil || BodyCleaner.isBoilerplate(line)
                || Outlets.knownName(line) != nil || ArabicDateParser.parseLine(line) != nil
        }
    }
}
