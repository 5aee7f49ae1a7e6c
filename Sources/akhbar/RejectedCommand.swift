import AkhbarProtocol
import ArgumentParser

/// `akhbar rejected`: files the daemon could not ingest, and why.
struct RejectedCommand: ParsableCommand {
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

    func validate() throws {
        let limits = LimitParameters.rejectionLimits
        guard limits.contains(n) else {
            throw ValidationError("-n must be \(limits.lowerBound) to \(limits.upperBound).")
        }
    }

    func run() throws {
        let output = Output(json: json)
        let reply = try global.connect().call(.rejections, LimitParameters(limit: n), returning: RejectionsReply.self)
        try output.list(reply.rejections) { RejectionFormatter(terminal: $0).line(for:) }
    }
}
