import AkhbarProtocol
import ArgumentParser

/// `akhbar rescan`: make the daemon walk its drop folder again.
struct RescanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rescan",
        abstract: "Walk the whole drop folder again and queue every file that changed.",
        discussion: """
            The daemon does this itself at start and when its watches overflow; use it after \
            changing files in ways inotify cannot see (a network filesystem, a restored backup). \
            Only root and the daemon's own user may ask.

            Examples:
              akhbar rescan
              sudo akhbar rescan --json
            """
    )

    @Flag(help: "Print one JSON object, even on a terminal.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let output = Output(json: json)
        let reply = try global.connect().call(.rescan, NoParameters(), returning: RescanReply.self)
        switch output.format {
        case .json:
            try output.json(reply)
        case .text:
            output.line("Queued \(reply.queued) file\(reply.queued == 1 ? "" : "s").")
        }
    }
}
