import AkhbarProtocol
import ArgumentParser

/// `akhbar show`: one article in full.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one article in full.",
        discussion: """
            The id is the number search, recent and follow print first.

            Examples:
              akhbar show 42
              akhbar show 42 --raw > article.txt
              akhbar show 42 --json | jq .sources
            """
    )

    @Argument(help: "The article's id.")
    var id: Int64

    @Flag(help: "Print the article as one JSON object, even on a terminal.")
    var json = false

    @Flag(help: "Print the original text of the file the article came from, exactly as stored.")
    var raw = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if json && raw { throw ValidationError("--json and --raw cannot be used together.") }
    }

    func run() throws {
        let article = try global.connect().call(.get, GetParameters(id: id), returning: GetReply.self).article
        let output = Output(json: json)
        if raw {
            output.write(article.original)
            // Only a person at a terminal needs the prompt back on its own line; a pipe gets the bytes.
            if case .text = output.format, !article.original.hasSuffix("\n") { output.line("") }
            return
        }
        switch output.format {
        case .json:
            try output.json(article)
        case .text(let terminal):
            ArticleFormatter(terminal: terminal).lines(for: article).forEach(output.line)
        }
    }
}
