import AkhbarProtocol

/// Renders a rejected file (or one article of it) as a terminal line: when, what, why.
struct RejectionFormatter {
    let terminal: Terminal

    func line(for rejection: RejectionInfo) -> String {
        let position = rejection.position.map { " #\($0)" } ?? ""
        return terminal.styled(Terminal.printable(rejection.time), .dim) + "  "
            + terminal.styled(Terminal.printable(rejection.path) + position, .bold) + "  "
            + Terminal.printable(rejection.reason)
    }
}
