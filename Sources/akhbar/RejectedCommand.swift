import AkhbarProtocol
import ArgumentParser

/// `akhbar rejected`: files the daemon could not ingest, and why.
struct RejectedCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "rejected",
        abstract: "List the files (or articles in them) that could not be ingested, newest first.",
        discussion: """
            A rejected file is tried again when it changes.

            Examples:
              akhbar rejected
              akhbar rejected --json | jq -r .path
            """
    )

    @Option(name: [.short, .customLong("limit")], help: "How many rejections to list.")
    var n = 100

    @Flag(help: "Print JSON Lines, one rejection a line, even on a terminal.")
    var json = false

    @OptionGroup var global: GlobalOptions

    static let method = ArticlesInterface.Method.rejections
    static let limits: ClosedRange<Int>? = LimitParameters.rejectionLimits
    var limit: Int? { n }
    var parameters: LimitParameters { LimitParameters(limit: n) }
    static func items(of reply: RejectionsReply) -> [RejectionInfo] { reply.rejections }
    static func line(terminal: Terminal) -> (RejectionInfo) -> String {
        RejectionFormatter(terminal: terminal).line(for:)
    }
}
