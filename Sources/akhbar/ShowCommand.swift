import AkhbarProtocol
import ArgumentParser
import FoundationEssentials

/// `akhbar show`: one article in full.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one article in full.",
        discussion: """
            The id is the number search, recent and follow print first. The sources are the files \
            the article was found in, numbered, each with the outlet, author and date its own file \
            states (copies of one text can differ there when their line breaks do).

            --raw prints the article's original text as decoded (UTF-8, line ends LF). With \
            --source N it prints instead the Nth source's file byte for byte as it was dropped: in \
            its own encoding, with its own line ends, the whole file when it holds several articles.

            Examples:
              akhbar show 42
              akhbar show 42 --raw > article.txt
              akhbar show 42 --raw --source 2 > as-dropped.txt
              akhbar show 42 --json | jq .sources
            """
    )

    @Argument(help: "The article's id.")
    var id: Int64

    @Flag(help: "Print the article as one JSON object, even on a terminal.")
    var json = false

    @Flag(help: "Print the original text of the file the article came from, exactly as stored.")
    var raw = false

    @Option(
        help: ArgumentHelp(
            "With --raw, print the file of the Nth source (from 1) byte for byte as it was dropped.",
            valueName: "n"))
    var source: Int?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if json && raw { throw ValidationError("--json and --raw cannot be used together.") }
        if let source {
            if !raw { throw ValidationError("--source needs --raw.") }
            if source < 1 { throw ValidationError("--source counts from 1.") }
        }
    }

    func run() throws {
        if let source {
            let file = try global.connect().call(
                .getFile, GetFileParameters(id: id, source: source), returning: GetFileReply.self)
            guard let bytes = Data(base64Encoded: file.data) else {
                throw ClientFailure(message: "the daemon sent a file that is not base64", status: .failedRequest)
            }
            Output(json: false).write(bytes: [UInt8](bytes))
            return
        }
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
