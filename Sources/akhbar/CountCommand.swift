import AkhbarProtocol
import ArgumentParser
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `akhbar count`: how many articles match, by period, outlet, author or place, drawn as a chart.
struct CountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "count",
        abstract: "Count the articles a query matches by day, week, month, outlet, author or place.",
        discussion: """
            Matching is search's with every word required (`akhbar search --all-words`); no query \
            counts every article. Periods go by publication date; articles that state none are \
            reported apart as undated, unless --by-ingest groups every article by the day it was \
            ingested. Empty periods are shown as 0. Outlets, authors and places come largest first \
            (-n of them, default 20), the rest summed as others. Near-duplicates are counted once \
            in stories.

            On a terminal it draws a bar chart; piped or with --json it prints one JSON object per \
            bucket. Give -q more than once to compare queries side by side, a column each.

            Examples:
              akhbar count ليبيا --by month
              akhbar count --by outlet -n 10
              akhbar count -q طرابلس -q بنغازي --by week --since 2015-07-01
              akhbar count 'النفط OR الغاز' --by day --json | jq .articles
            """
    )

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The query, in the search syntax.", valueName: "query"))
    var words: [String] = []

    @Option(name: [.customShort("q"), .customLong("query")], help: "A query to count; repeat to compare.")
    var queries: [String] = []

    @Option(help: "day, week, month, outlet, author or place.")
    var by: CountGrouping = .month

    @OptionGroup var selection: SelectionOptions

    @Option(name: [.customShort("n"), .customLong("limit")], help: "Outlets, authors or places to show (1 to 10000).")
    var limit = 20

    @Flag(help: "Group periods by the day each article was ingested.")
    var byIngest = false

    @Flag(help: "Print JSON Lines, one bucket a line, even on a terminal.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if !words.isEmpty { try QueryWords(arguments: words).validate(missing: "Give a query or none.") }
        if !CountParameters.limits.contains(limit) { throw ValidationError("-n must be 1 to 10000.") }
    }

    /// The queries counted, a column each.
    private var counted: [String] {
        let positional = words.isEmpty ? [] : [QueryWords(arguments: words).query]
        let all = positional + queries
        return all.isEmpty ? [""] : all
    }

    func run() throws {
        let client = try global.connect()
        let replies = try counted.map { query in
            try client.call(
                .count,
                CountParameters(
                    query: query.isEmpty ? nil : query, by: by, since: selection.since?.description,
                    until: selection.until?.description, outlet: selection.outlet, author: selection.author,
                    limit: limit,
                    byIngest: byIngest ? true : nil),
                returning: CountReply.self)
        }
        // The keys of every column, in the order of the first that has them (periods sorted).
        var keys: [String?] = []
        var seen = Set<String?>()
        for reply in replies {
            for bucket in reply.buckets where seen.insert(bucket.key).inserted { keys.append(bucket.key) }
        }
        if by.isPeriod { keys.sort { ($0 ?? "") < ($1 ?? "") } }
        let output = Output(json: json)
        switch output.format {
        case .json:
            for key in keys {
                if replies.count == 1, let bucket = replies[0].buckets.first(where: { $0.key == key }) {
                    try output.json(bucket)
                } else {
                    try output.json(
                        Row(
                            key: key,
                            counts: zip(counted, replies).map { query, reply in
                                let bucket = reply.buckets.first { $0.key == key }
                                return Row.Column(
                                    query: query, articles: bucket?.articles ?? 0, stories: bucket?.stories ?? 0)
                            }))
                }
            }
        case .text(let terminal):
            let counts = replies.map { reply in
                keys.map { key in reply.buckets.first { $0.key == key }?.articles ?? 0 }
            }
            let chart = CountChart(terminal: terminal, width: Self.columns())
            for line in chart.lines(keys: keys, counts: counts, titles: counted.map { $0.isEmpty ? "all" : $0 }) {
                output.line(line)
            }
            for (query, reply) in zip(counted, replies) {
                var summary =
                    "\(CountChart.grouped(reply.total)) articles, \(CountChart.grouped(reply.stories)) stories"
                if reply.undated > 0 { summary += ", \(CountChart.grouped(reply.undated)) undated" }
                if reply.others > 0 { summary += ", \(CountChart.grouped(reply.others)) in others" }
                let label = replies.count > 1 ? CountChart.isolated(Terminal.printable(query)) + ": " : ""
                output.line(terminal.styled(label + summary, .dim))
            }
        }
    }

    /// One line of JSON when several queries are compared.
    private struct Row: Encodable {
        struct Column: Encodable {
            var query: String
            var articles: Int
            var stories: Int
        }
        var key: String?
        var counts: [Column]
    }

    /// The terminal's width: $COLUMNS, else what the terminal says, else 80.
    private static func columns() -> Int {
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let value = Int(text), value > 20 { return value }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { return Int(size.ws_col) }
        return 80
    }
}

extension CountGrouping: ExpressibleByArgument {}
