import AkhbarProtocol

/// Renders a search hit for a terminal: its title, where it came from, and the snippet with the
/// matched words marked.
struct HitFormatter {
    let terminal: Terminal

    func lines(for hit: Hit) -> [String] {
        let date = hit.date.map { hit.dateIsIngest == true ? $0 + " (ingested; no date stated)" : $0 }
        var details = [hit.outlet, date, hit.path].compactMap { $0 }.map(Terminal.printable)
        if let duplicates = hit.duplicates, duplicates > 0 {
            details.append("+\(duplicates) similar: akhbar similar \(hit.id)")
        }
        var lines = [
            terminal.styled(String(hit.id), .dim) + "  " + terminal.styled(Terminal.printable(hit.title), .bold)
        ]
        if !details.isEmpty {
            lines.append("    " + terminal.styled(details.joined(separator: " · "), .dim))
        }
        lines.append("    " + snippet(hit))
        return lines
    }

    /// The snippet with each highlight wrapped in the match style.
    ///
    /// Highlights are [start, end) in Unicode scalars; out-of-range or overlapping spans from a
    /// confused daemon are clipped rather than trusted.
    func snippet(_ hit: Hit) -> String {
        let scalars = Array(hit.snippet.unicodeScalars.map(Terminal.printable))
        var result = String.UnicodeScalarView()
        var cursor = 0
        for span in hit.highlights.sorted(by: { $0.start < $1.start }) {
            let start = min(max(span.start, cursor), scalars.count)
            let end = min(span.end, scalars.count)
            guard start < end else { continue }
            result.append(contentsOf: scalars[cursor..<start])
            result.append(contentsOf: terminal.start(.match).unicodeScalars)
            result.append(contentsOf: scalars[start..<end])
            result.append(contentsOf: terminal.end.unicodeScalars)
            cursor = end
        }
        result.append(contentsOf: scalars[cursor...])
        return String(result)
    }
}
