import AkhbarProtocol
import ArgumentParser

/// `akhbar recent`: the newest articles.
struct RecentCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "recent",
        abstract: "List the most recently ingested articles, newest first.",
        discussion: """
            Examples:
              akhbar recent
              akhbar recent -n 50 --json
            """
    )

    @Option(name: [.short, .customLong("limit")], help: "How many articles to list.")
    var n = 20

    @Flag(help: "Print JSON Lines, one article a line, even on a terminal.")
    var json = false

    @OptionGroup var global: GlobalOptions

    static let method = ArticlesInterface.Method.recent
    static let limits: ClosedRange<Int>? = LimitParameters.recentLimits
    var limit: Int? { n }
    var parameters: LimitParameters { LimitParameters(limit: n) }
    static func items(of reply: RecentReply) -> [Summary] { reply.articles }
    static func line(terminal: Terminal) -> (Summary) -> String { SummaryFormatter(terminal: terminal).line(for:) }
}
