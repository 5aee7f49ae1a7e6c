import AkhbarProtocol
import ArgumentParser
import FoundationEssentials

/// `akhbar terms`: the words and phrases that set a query's articles apart from the archive.
struct TermsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terms",
        abstract: "List the words and phrases that the articles a query matches use more than the archive.",
        discussion: """
            Matching is count's (every word in some form); a query, a date range, an outlet or an \
            author says which articles to look at. Words are counted with all their inflections \
            and shown as the articles most often write them; two-word phrases beside them unless \
            --words-only. Each term shows how many matching articles have it and how many in the \
            whole archive, and its log-likelihood score (G²; above 10.83 the difference has less \
            than a 0.1 % chance of being luck). Stopwords, single letters and numbers are left \
            out. Of a result larger than 5,000 articles an even sample of 5,000 is read.

            On a terminal it prints a table; piped or with --json, one JSON object per term.

            Examples:
              akhbar terms ليبيا
              akhbar terms 'النفط OR الغاز' -n 50
              akhbar terms --outlet الرياض --since 2015-07-01 --until 2015-07-31
              akhbar terms الحوثي --json | jq -r .text
            """
    )

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The query, in the search syntax.", valueName: "query"))
    var words: [String] = []

    @OptionGroup var selection: SelectionOptions

    @Option(name: [.customShort("n"), .customLong("limit")], help: "How many terms (1 to 500).")
    var limit = 30

    @Flag(help: "Single words only, no two-word phrases.")
    var wordsOnly = false

    @Flag(help: "Print JSON Lines, one term a line, even on a terminal.")
    var json = false

    @OptionGroup var global: GlobalOptions

    private var parameters: TermsParameters {
        TermsParameters(
            query: words.isEmpty ? nil : QueryWords(arguments: words).query, since: selection.since?.description,
            until: selection.until?.description, outlet: selection.outlet, author: selection.author, limit: limit,
            phrases: wordsOnly ? false : nil)
    }

    func validate() throws {
        if !words.isEmpty { try QueryWords(arguments: words).validate(missing: "Give a query.") }
        if !TermsParameters.limits.contains(limit) { throw ValidationError("-n must be 1 to 500.") }
        if !parameters.selectsArticles {
            throw ValidationError("Give a query, or --since, --until, --outlet or --author: which articles to look at.")
        }
    }

    func run() throws {
        let reply = try global.connect().call(.terms, parameters, returning: TermsReply.self)
        let output = Output(json: json)
        switch output.format {
        case .json:
            for term in reply.terms { try output.json(term) }
        case .text(let terminal):
            for line in Self.table(reply, terminal: terminal) { output.line(line) }
        }
    }

    /// `12 %`, `4.5 %`, `0.03 %`: two significant digits below 10 %, padded to one width.
    static func percent(_ count: Int, of total: Int) -> String {
        let value = total > 0 ? Double(count) / Double(total) * 100 : 0
        let text: String
        if value >= 9.95 {
            text = String(Int(value.rounded()))
        } else if value >= 0.995 || value == 0 {
            text = String(Double(Int((value * 10).rounded())) / 10)
        } else {
            text = String(Double(Int((value * 100).rounded())) / 100)
        }
        return String(repeating: " ", count: max(0, 4 - text.count)) + text + " %"
    }

    /// The terms as a table: the term, then its articles among the matches and in the archive, and
    /// its score. Terms are set in isolates, so Arabic text cannot carry the numbers across the line.
    static func table(_ reply: TermsReply, terminal: Terminal) -> [String] {
        var lines: [String] = []
        if !reply.terms.isEmpty {
            let texts = reply.terms.map { CountChart.truncated(Terminal.printable($0.text), to: 40) }
            let width = max(texts.map(CountChart.displayWidth).max() ?? 0, 4)
            func share(_ count: Int, of total: Int) -> String {
                CountChart.grouped(count) + " " + Self.percent(count, of: total)
            }
            let here = reply.terms.map { share($0.count, of: reply.analyzed) }
            let there = reply.terms.map { share($0.archive, of: reply.archive) }
            let scores = reply.terms.map { CountChart.grouped(Int($0.score.rounded())) }
            let columns = [here, there, scores].map { column in column.map(\.count).max() ?? 0 }
            let headers = ["matching", "archive", "score"]
            func padded(_ text: String, _ column: Int) -> String {
                let wide = max(columns[column], headers[column].count)
                return String(repeating: " ", count: wide - text.count) + text
            }
            lines.append(
                terminal.styled(
                    "term" + String(repeating: " ", count: width - 4) + "  " + padded(headers[0], 0) + "  "
                        + padded(headers[1], 1) + "  " + padded(headers[2], 2), .dim))
            for (index, text) in texts.enumerated() {
                lines.append(
                    CountChart.isolated(text) + String(repeating: " ", count: width - CountChart.displayWidth(text))
                        + "  " + padded(here[index], 0) + "  " + padded(there[index], 1) + "  "
                        + padded(scores[index], 2))
            }
        }
        var summary =
            reply.matched == 0
            ? "no article matches"
            : reply.terms.isEmpty ? "nothing stands out in \(CountChart.grouped(reply.matched)) matching articles" : ""
        if reply.matched > 0 {
            if !summary.isEmpty { summary += "; " }
            summary +=
                reply.analyzed < reply.matched
                ? "\(CountChart.grouped(reply.analyzed)) of \(CountChart.grouped(reply.matched)) matching articles read (an even sample)"
                : "\(CountChart.grouped(reply.matched)) matching articles"
        }
        summary += ", \(CountChart.grouped(reply.archive)) in the archive"
        lines.append(terminal.styled(summary, .dim))
        return lines
    }
}
