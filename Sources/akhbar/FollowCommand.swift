import AkhbarProtocol
import ArgumentParser

/// `akhbar follow`: new articles as the daemon commits them.
struct FollowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow",
        abstract: "Print each new article as it is ingested, until interrupted.",
        discussion: """
            Like `journalctl -f`: runs until Ctrl-C (or SIGTERM) and then ends by that signal. \
            Only articles committed after it starts are printed, unless --after gives an article \
            id: then every article with a higher id comes first. Each line is written as soon as \
            the article arrives, also into a pipe.

            Should the daemon cut it off for reading too slowly, follow says so on standard error \
            and subscribes again after the last article it printed, so no article is lost.

            Examples:
              akhbar follow
              akhbar follow --after 1200 --json
              akhbar follow --json | while read -r line; do ...; done
            """
    )

    @Option(help: ArgumentHelp("First print every article with a higher id, oldest first.", valueName: "id"))
    var after: Int64?

    @Flag(help: "Print JSON Lines, one article a line, even on a terminal.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let after, after < 0 { throw ValidationError("--after must be an article id, 0 or more.") }
    }

    func run() throws {
        let output = Output(json: json)
        var cursor = after
        while true {
            let client = try global.connect()
            var gap: (missed: Int, resumeAfter: Int64)?
            try client.stream(.subscribe, SubscribeParameters(after: cursor), returning: SubscribeReply.self) {
                reply throws(ClientFailure) in
                if let missed = reply.missed, let resumeAfter = reply.resumeAfter { gap = (missed, resumeAfter) }
                guard let article = reply.article else { return }
                switch output.format {
                case .json:
                    try output.json(article)
                case .text(let terminal):
                    output.line(SummaryFormatter(terminal: terminal).line(for: article))
                }
            }
            guard let gap else {
                // A subscription has no natural end: the daemon finishing it means it is going away.
                throw ClientFailure(
                    message: "the daemon at \(client.socket) ended the subscription", status: .unavailable)
            }
            Output.note(
                "akhbar: warning: fell \(gap.missed) articles behind the daemon; "
                    + "catching up after article \(gap.resumeAfter)")
            cursor = gap.resumeAfter
        }
    }
}
