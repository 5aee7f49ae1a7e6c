import AkhbarProtocol
import ArgumentParser

/// `akhbar stats`: what the daemon holds and how it is doing.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show the daemon's counts, queue, store size and uptime.",
        discussion: """
            Also a cheap way to check that the daemon is up: exit status 69 means it is not.

            Examples:
              akhbar stats
              akhbar stats --json | jq .articles
            """
    )

    @Flag(help: "Print one JSON object, even on a terminal.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let output = Output(json: json)
        let stats = try global.connect().call(.stats, NoParameters(), returning: StatsReply.self)
        switch output.format {
        case .json:
            try output.json(stats)
        case .text(let terminal):
            StatsFormatter(terminal: terminal).lines(for: stats).forEach(output.line)
        }
    }
}
