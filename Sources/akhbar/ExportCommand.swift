import AkhbarProtocol
import ArgumentParser

/// `akhbar export`: every article, in full, as JSON Lines.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every article in full as JSON Lines, oldest first.",
        discussion: """
            Each line holds an article's metadata, body, original text, the paths and positions it \
            came from and its near-duplicate cluster: for backups and for loading other tools. \
            Always JSON, also on a terminal. The daemon streams the store page by page, so an \
            export of any size runs in constant memory on both sides.

            Examples:
              akhbar export > articles.jsonl
              akhbar export | jq -c '{title, date, outlet}'
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let output = Output(json: true)
        try global.connect().stream(.export, NoParameters(), returning: ExportReply.self) {
            reply throws(ClientFailure) in
            // The final reply carries no article; it only ends the stream.
            if let article = reply.article { try output.json(article) }
        }
    }
}
