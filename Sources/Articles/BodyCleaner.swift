/// Turns the body lines of an article into searchable paragraphs.
///
/// - Drops page furniture that scrapers copy along: "استمع إلى الملخص", "آخر الأخبار",
///   "نشر بتاريخ:", "اقرأ أيضاً", and summary bullets in `- **…**: …` form.
/// - Drops a line that is only the following paragraphs glued together (and often cut off), as
///   some scrapers emit the text once flattened and then again properly split.
/// - Keeps an embedded tweet as a quotation: the tweet text and its attribution line
///   ("— Name (@handle) March 2, 2023") become one paragraph of `> ` lines.
/// - Decodes HTML entities and removes control characters.
enum BodyCleaner {
    static func paragraphs(from lines: some Sequence<some StringProtocol>) -> [String] {
        var kept: [String] = []
        for line in lines {
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || isBoilerplate(trimmed) || isSummaryBullet(trimmed) { continue }
            kept.append(trimmed)
        }
        removeGluedRepeats(&kept)
        quoteTweets(&kept)
        return kept.map(clean).filter { !$0.isEmpty }
    }

    /// Lines that carry no article text, compared on their words only.
    static func isBoilerplate(_ line: String) -> Bool {
        guard line.utf8.count < 80 else { return false }
        let words = DateToken.tokenize(line.unicodeScalars, limit: 8)
        guard words.count < 8, !words.contains(where: { $0.number != nil }) else { return false }
        let key = words.compactMap(\.word).joined(separator: " ")
        if boilerplate.contains(key) { return true }
        // "نشر بتاريخ:" may carry a date; the header reader takes it, the body never wants it.
        return key.hasPrefix("نشر بتاريخ") || key.hasPrefix("تاريخ النشر")
    }

    static func isSummaryMarker(_ line: String) -> Bool {
        guard line.utf8.count < 80 else { return false }
        let key = DateToken.tokenize(line.unicodeScalars, limit: 8).compactMap(\.word).joined(separator: " ")
        return summaryMarkers.contains(key)
    }

    /// "- **عنوان**: نص" as AI summary widgets render their bullets.
    static func isSummaryBullet(_ line: String) -> Bool {
        let scalars = line.unicodeScalars
        guard let first = scalars.first, first == "-" || first == "*" || first == "•" else { return false }
        let rest = line.unicodeScalars.dropFirst().drop(while: { $0 == " " })
        return rest.starts(with: "**".unicodeScalars) && line.contains("**:")
    }

    private static let summaryMarkers: Set<String> = ["استمع الي الملخص", "استمع للملخص", "الملخص", "ملخص"]

    private static let boilerplate: Set<String> = [
        "استمع الي الملخص", "استمع للملخص", "اخر الاخبار", "اقرا ايضا", "اقرا المزيد",
        "شارك", "شارك الخبر", "شارك المقال", "طباعة", "مشاركة", "تابعنا علي",
        "تابعونا علي", "الاكثر قراءة", "اخبار ذات صلة", "مواضيع ذات صلة", "نشر بتاريخ",
    ]

    // MARK: - Glued repeats

    private static func removeGluedRepeats(_ lines: inout [String]) {
        var index = 0
        // The glued copy sits at the top of the body; looking further costs time for nothing.
        while index < min(lines.count, 3) {
            if isGluedRepeat(lines, at: index) { lines.remove(at: index) } else { index += 1 }
        }
    }

    /// True when `lines[index]`, ignoring whitespace, is the next lines run together (possibly cut
    /// off inside the last one), allowing a few skipped lines such as an embedded tweet that the
    /// flattened copy left out.
    private static func isGluedRepeat(_ lines: [String], at index: Int) -> Bool {
        let glued = Array(lines[index].unicodeScalars.lazy.filter { !$0.isBlank })
        guard glued.count >= 60 else { return false }
        var position = 0
        var matched = 0
        var skipped = 0
        for next in lines[(index + 1)...].prefix(200) {
            switch match(next, against: glued, from: position) {
            case .consumed(let end):
                position = end
                matched += 1
                if position == glued.count { return matched >= 2 }
            case .gluedEndsInside:
                return true
            case .mismatch:
                skipped += 1
                if skipped > 3 { return false }
            }
        }
        return false
    }

    private enum GlueMatch {
        case consumed(end: Int)
        case gluedEndsInside
        case mismatch
    }

    /// Compares `line`, ignoring blanks, with `glued` from `position`, stopping at the first
    /// difference so that unrelated lines cost almost nothing.
    private static func match(_ line: String, against glued: [Unicode.Scalar], from position: Int) -> GlueMatch {
        var cursor = position
        for scalar in line.unicodeScalars where !scalar.isBlank {
            if cursor == glued.count { return cursor > position ? .gluedEndsInside : .mismatch }
            if glued[cursor] != scalar { return .mismatch }
            cursor += 1
        }
        return cursor > position ? .consumed(end: cursor) : .mismatch
    }

    // MARK: - Tweets

    /// "— U.S. Embassy – Libya (@USEmbassyLibya) March 2, 2023"
    private static func isTweetAttribution(_ line: String) -> Bool {
        guard let first = line.unicodeScalars.first, first == "—" || first == "-" || first == "–" else { return false }
        return line.utf8.count < 200 && line.contains("(@") && line.contains(")")
    }

    private static func quoteTweets(_ lines: inout [String]) {
        var index = 1
        while index < lines.count {
            if isTweetAttribution(lines[index]) && !lines[index - 1].hasPrefix("> ") {
                lines[index - 1] = "> " + lines[index - 1] + "\n> " + lines[index]
                lines.remove(at: index)
            } else {
                index += 1
            }
        }
    }

    // MARK: - Characters

    private static func clean(_ paragraph: String) -> String {
        let decoded = HTMLEntities.decode(paragraph)
        guard
            decoded.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" || $0.value == 0x7F })
        else {
            return decoded.trimmingWhitespace()
        }
        var scalars = String.UnicodeScalarView()
        for scalar in decoded.unicodeScalars
        where !(scalar.value < 0x20 && scalar != "\n" && scalar != "\t" || scalar.value == 0x7F) {
            scalars.append(scalar)
        }
        return String(scalars).trimmingWhitespace()
    }
}
