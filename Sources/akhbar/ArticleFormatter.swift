import AkhbarProtocol

/// Renders one article in full for a terminal: title, metadata, sources, then the body.
struct ArticleFormatter {
    let terminal: Terminal

    func lines(for article: ArticleRecord) -> [String] {
        var lines = [terminal.styled(Terminal.printable(article.title), .bold)]
        let byline = [article.outlet, article.section, article.author, article.date, article.place, article.agency]
            .compactMap { $0 }.map(Terminal.printable)
        if !byline.isEmpty {
            lines.append(byline.joined(separator: " · "))
        }
        lines.append(
            terminal.styled("id \(article.id) · ingested \(article.ingested) · updated \(article.updated)", .dim))
        if let url = article.url {
            lines.append(terminal.styled(Terminal.printable(url), .dim))
        }
        for source in article.sources {
            let position = source.position == 0 ? "" : " #\(source.position)"
            let gone = source.gone ? " (gone)" : ""
            lines.append(terminal.styled(Terminal.printable(source.path) + position + gone, .dim))
        }
        lines.append("")
        if article.headlineOnly == true {
            lines.append(terminal.styled("headline only: the file has no article text", .dim))
            return lines
        }
        // Keep the body's own line breaks; only single control characters become spaces.
        lines += article.body.split(separator: "\n", omittingEmptySubsequences: false).map {
            Terminal.printable(String($0))
        }
        return lines
    }
}
