import AkhbarProtocol

/// Renders a watch match for a terminal: the watch, the article, and the snippet with the matched
/// words marked.
struct WatchMatchFormatter {
    let terminal: Terminal

    func lines(for match: WatchMatch) -> [String] {
        let article = match.article
        var first = ""
        if !match.watch.isEmpty { first += terminal.styled("[" + Terminal.printable(match.watch) + "] ", .dim) }
        first += terminal.styled(String(article.id), .dim) + "  "
        first += terminal.styled(Terminal.printable(article.title), .bold)
        if match.copy == true { first += terminal.styled("  (copy of a story already matched)", .dim) }
        let details = [article.outlet, article.date ?? article.ingested, article.path].compactMap { $0 }
            .map(Terminal.printable)
        let hit = Hit(
            id: article.id, title: article.title, outlet: article.outlet, date: article.date, path: article.path,
            score: 0, snippet: match.snippet, highlights: match.highlights)
        return [
            first, "    " + terminal.styled(details.joined(separator: " · "), .dim),
            "    " + HitFormatter(terminal: terminal).snippet(hit),
        ]
    }
}
