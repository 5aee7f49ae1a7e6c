import AkhbarProtocol
import ArgumentParser

/// `akhbar recent`: the newest articles.
struct RecentCommand: ParsableCommand {
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

    func validate() throws {
        let limits = LimitParameters.recentLimits
        guard limits.contains(n) else {
            throw ValidationError("-n must be \(limits.lowerBound) to \(limits.upperBound).")
        }
    }

    func run() throws {
        let output = Output(json: json)
        let reply = try global.connect().call(.recent, LimitParameters(limit: n), returning: RecentReply.self)
        try output.list(reply.articles) { SummaryFormatter(terminal: $0).line(for:) }
    }
}
