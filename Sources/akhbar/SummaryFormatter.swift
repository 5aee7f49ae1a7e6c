import AkhbarProtocol

/// Renders an article summary as one terminal line, for `recent` and `follow`.
struct SummaryFormatter {
    let terminal: Terminal

    func line(for summary: Summary) -> String {
        var line = terminal.styled(String(summary.id), .dim) + "  "
        line += terminal.styled(Terminal.printable(summary.date ?? summary.ingested), .dim) + "  "
        line += terminal.styled(Terminal.printable(summary.title), .bold)
        if let outlet = summary.outlet {
            line += terminal.styled(" · " + Terminal.printable(outlet), .dim)
        }
        return line
    }
}
