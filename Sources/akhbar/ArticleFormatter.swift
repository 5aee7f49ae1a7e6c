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
        // Numbered as `show --raw --source N` takes them, each with what its own file states.
        for (index, source) in article.sources.enumerated() {
            let position = source.position == 0 ? "" : " #\(source.position)"
            let gone = source.gone ? " (gone)" : ""
            let stated = [source.outlet, source.author, source.date].compactMap { $0 }.map(Terminal.printable)
            let details = stated.isEmpty ? "" : " · " + stated.joined(separator: " · ")
            lines.append(
                terminal.styled("[\(index + 1)] " + Terminal.printable(source.path) + position + gone + details, .dim))
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
