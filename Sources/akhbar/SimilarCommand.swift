import AkhbarProtocol
import ArgumentParser

/// `akhbar similar`: an article's near-duplicates.
struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "List the near-duplicates of an article: the same story re-crawled or lightly edited.",
        discussion: """
            The article itself is part of the list. search folds a cluster into its best hit and \
            prints how many others it holds; this lists them all.

            Examples:
              akhbar similar 42
              akhbar similar 42 --json | jq -r .path
            """
    )

    @Argument(help: "The article's id.")
    var id: Int64

    @Flag(help: "Print JSON Lines, one article a line, even on a terminal.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let output = Output(json: json)
        let reply = try global.connect().call(.similar, GetParameters(id: id), returning: SimilarReply.self)
        try output.list(reply.articles) { SummaryFormatter(terminal: $0).line(for:) }
    }
}
