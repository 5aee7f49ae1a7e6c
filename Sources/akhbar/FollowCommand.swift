import AkhbarProtocol
import ArgumentParser

/// `akhbar follow`: new articles as the daemon commits them.
struct FollowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow",
        abstract: "Print each new article as it is ingested, until interrupted.",
        discussion: """
            Like `journalctl -f`: runs until Ctrl-C (or SIGTERM) and then ends by that signal. \
            Only articles committed after it starts are printed. Each line is written as soon as \
            the article arrives, also into a pipe.

            Examples:
              akhbar follow
              akhbar follow --json | while read -r line; do ...; done
            """
    )

    @Flag(help: "Print JSON Lines, one article a line, even on a terminal.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let output = Output(json: json)
        let client = try global.connect()
        try client.stream(.subscribe, NoParameters(), returning: SubscribeReply.self) { reply throws(ClientFailure) in
            switch output.format {
            case .json:
                try output.json(reply.article)
            case .text(let terminal):
                output.line(SummaryFormatter(terminal: terminal).line(for: reply.article))
            }
        }
        // A subscription has no natural end: the daemon finishing it means it is going away.
        throw ClientFailure(message: "the daemon at \(client.socket) ended the subscription", status: .unavailable)
    }
}
