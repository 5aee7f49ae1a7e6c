import AkhbarProtocol
import ArgumentParser

/// `akhbar similar`: an article's near-duplicates.
struct SimilarCommand: ListCommand {
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

    static let method = ArticlesInterface.Method.similar
    var parameters: GetParameters { GetParameters(id: id) }
    static func items(of reply: SimilarReply) -> [Summary] { reply.articles }
    static func line(terminal: Terminal) -> (Summary) -> String { SummaryFormatter(terminal: terminal).line(for:) }
}
