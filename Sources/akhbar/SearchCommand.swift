import AkhbarProtocol
import ArgumentParser

/// `akhbar search`: full-text search over the indexed articles.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the articles.",
        discussion: """
            Articles with every word in the form typed rank first, then those with every word in \
            some form, then those missing one word. The query language has OR, NOT (or -word), \
            parentheses, "exact phrases", NEAR(a b, N), prefix*, the fields title:, outlet:, \
            author: and place:, and date:YYYY[-MM[-DD]][..YYYY[-MM[-DD]]]; `akhbar help query` \
            describes it. Hamza, diacritics, ة/ه and ى/ي need not match the text.

            Examples:
              akhbar search الناظوري
              akhbar search '"توحيد المؤسسة العسكرية"' -n 3
              akhbar search '(طرابلس OR مصراتة) NEAR(المجلس الجيش, 5) -رياضة'
              akhbar search ليبيا -حفتر --since 2025-09-01 --until 2025-09-30
              akhbar search outlet:الأمصار واشنطن date:2025-09 --json
              akhbar search -- --literal-dashes
            """
    )

    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp("The words to look for; a word starting with - excludes it.", valueName: "words")
    )
    var words: [String] = []

    @Option(name: [.short, .customLong("limit")], help: "How many hits to show.")
    var n = 10

    @Option(help: "How many of the best hits to skip, for paging.")
    var offset = 0

    @Option(
        help: ArgumentHelp(
            "Only articles published (or, undated, ingested) on or after this day.", valueName: "YYYY-MM-DD"))
    var since: ISODate?

    @Option(
        help: ArgumentHelp(
            "Only articles published (or, undated, ingested) on or before this day.", valueName: "YYYY-MM-DD"))
    var until: ISODate?

    @Flag(
        name: .customLong("no-collapse"),
        help: "List near-duplicates as hits of their own instead of folding them into the best one."
    )
    var noCollapse = false

    @Flag(help: "Only articles with every word (in some form): no partial matches, as a watch matches.")
    var allWords = false

    @Flag(help: "Print JSON Lines, one hit a line, even on a terminal.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        try QueryWords(arguments: words).validate(missing: "Give at least one word to search for.")
        let limits = SearchParameters.limits
        let offsets = SearchParameters.offsets
        guard limits.contains(n) else {
            throw ValidationError("-n must be \(limits.lowerBound) to \(limits.upperBound).")
        }
        guard offsets.contains(offset) else {
            throw ValidationError("--offset must be \(offsets.lowerBound) to \(offsets.upperBound).")
        }
    }

    func run() throws {
        let output = Output(json: json)
        let parameters = SearchParameters(
            query: QueryWords(arguments: words).query, limit: n, offset: offset,
            since: since?.description, until: until?.description, collapse: noCollapse ? false : nil,
            partial: allWords ? false : nil
        )
        let reply = try global.connect().call(.search, parameters, returning: SearchReply.self)
        switch output.format {
        case .json:
            for hit in reply.hits { try output.json(hit) }
        case .text(let terminal):
            if reply.hits.isEmpty {
                Output.note("No articles match.")
            }
            let formatter = HitFormatter(terminal: terminal)
            for (index, hit) in reply.hits.enumerated() {
                if index > 0 { output.line("") }
                formatter.lines(for: hit).forEach(output.line)
            }
        }
    }
}
