import AkhbarProtocol
import ArgumentParser

/// `akhbar watch`: saved searches that the daemon matches against every new article.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Save searches and see what they matched.",
        discussion: """
            A watch is a named query in the search syntax (`akhbar help query`). From the moment it \
            is added, every article the daemon commits is matched against it, in the same \
            transaction, exactly as `akhbar search` with that query would return it (every word in \
            some form; search's fallback to articles missing a word does not apply). Matches are \
            numbered by a cursor. A near-duplicate of a story the watch already matched is recorded \
            as a copy and left out of counts, lists and follow unless --all-copies is given.

            Follow matches live with `akhbar follow --watch NAME`. Anyone who may query the daemon \
            (who can open its socket) may add and remove watches.

            Examples:
              akhbar watch add libya-oil 'ليبيا (نفط OR النفط) -رياضة' --note 'for the energy desk'
              akhbar watch list
              akhbar watch show libya-oil -n 5
              akhbar watch test 'outlet:الرياض الحج' -n 3
              akhbar watch feed libya-oil > libya-oil.atom
              akhbar watch rm libya-oil
            """,
        subcommands: [
            WatchAddCommand.self, WatchListCommand.self, WatchRemoveCommand.self, WatchShowCommand.self,
            WatchTestCommand.self, WatchFeedCommand.self,
        ]
    )
}

/// `akhbar watch add`.
struct WatchAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Save a search under a name.",
        discussion: """
            The query is checked as `akhbar search` checks it. The name holds letters, digits, \
            '-', '_' and '.' (at most 64 characters).
            """
    )

    @Argument(help: "The watch's name.")
    var name: String

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The query, in the search syntax.", valueName: "query"))
    var words: [String] = []

    @Option(help: "A note kept with the watch.")
    var note: String?

    @Flag(help: "Print the watch as JSON.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        try QueryWords(arguments: words).validate(missing: "Give the query to watch after the name.")
        if let problem = WatchInfo.problem(withName: name) { throw ValidationError(problem + ".") }
    }

    func run() throws {
        let reply = try global.connect().call(
            .addWatch, AddWatchParameters(name: name, query: QueryWords(arguments: words).query, note: note),
            returning: WatchReply.self)
        let output = Output(json: json)
        switch output.format {
        case .json: try output.json(reply.watch)
        case .text: output.line("watching \(reply.watch.name): \(Terminal.printable(reply.watch.query))")
        }
    }
}

/// `akhbar watch list`.
struct WatchListCommand: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the watches: name, query, when added, matches and the last match."
    )

    @Flag(help: "Print JSON Lines, one watch a line, even on a terminal.")
    var json = false

    @OptionGroup var global: GlobalOptions

    static let method = ArticlesInterface.Method.listWatches
    var parameters: NoParameters { NoParameters() }
    static func items(of reply: ListWatchesReply) -> [WatchInfo] { reply.watches }
    static func line(terminal: Terminal) -> (WatchInfo) -> String {
        { watch in
            var line = terminal.styled(Terminal.printable(watch.name), .bold) + "  " + Terminal.printable(watch.query)
            let last = watch.lastMatch.map { ", last \($0)" } ?? ""
            line += terminal.styled(
                "  (\(watch.matches) \(watch.matches == 1 ? "match" : "matches")\(last); added \(watch.created))", .dim)
            if let note = watch.note { line += "\n    " + terminal.styled(Terminal.printable(note), .dim) }
            return line
        }
    }
}

/// `akhbar watch rm`.
struct WatchRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Delete a watch and its matches."
    )

    @Argument(help: "The watch's name.")
    var name: String

    @OptionGroup var global: GlobalOptions

    func run() throws {
        _ = try global.connect().call(.removeWatch, WatchNameParameters(name: name), returning: EmptyReply.self)
    }
}

/// `akhbar watch show`.
struct WatchShowCommand: MatchListCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a watch's latest matches, newest first."
    )

    @Argument(help: "The watch's name.")
    var name: String

    @Option(name: [.customShort("n"), .customLong("limit")], help: "How many matches to show (1 to 1000).")
    var limit: Int?

    @Flag(help: "Also show near-duplicates of stories already matched.")
    var allCopies = false

    @Flag(help: "Print JSON Lines, one match a line, even on a terminal.")
    var json = false

    @OptionGroup var global: GlobalOptions

    static let method = ArticlesInterface.Method.watchMatches
    static var limits: ClosedRange<Int>? { WatchMatchesParameters.limits }
    var parameters: WatchMatchesParameters {
        WatchMatchesParameters(name: name, limit: limit ?? 10, allCopies: allCopies ? true : nil)
    }
}

/// `akhbar watch test`.
struct WatchTestCommand: MatchListCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Show what a watch with this query would have matched among the latest articles.",
        discussion: """
            Matching is the one a watch uses on commit, run over the latest --latest articles \
            (default 1000), newest first.
            """
    )

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The query, in the search syntax.", valueName: "query"))
    var words: [String] = []

    @Option(name: [.customShort("n"), .customLong("limit")], help: "How many matches to show (1 to 1000).")
    var limit: Int?

    @Option(help: "How many of the latest articles to look at (1 to 1000000).")
    var latest = 1000

    @Flag(help: "Print JSON Lines, one match a line, even on a terminal.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        try QueryWords(arguments: words).validate(missing: "Give the query to test.")
        if let limit, !WatchMatchesParameters.limits.contains(limit) { throw ValidationError("-n must be 1 to 1000.") }
        if !WatchMatchesParameters.latestLimits.contains(latest) {
            throw ValidationError("--latest must be 1 to 1000000.")
        }
    }

    static let method = ArticlesInterface.Method.testWatch
    var parameters: TestWatchParameters {
        TestWatchParameters(query: QueryWords(arguments: words).query, latest: latest, limit: limit ?? 10)
    }
}

/// `akhbar watch feed`.
struct WatchFeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed",
        abstract: "Print a watch's latest matches as an Atom feed (RFC 4287).",
        discussion: """
            For feed readers and mail gateways: write it to a file that a web server or a \
            reader watches, from a systemd timer (see the README).

            Example:
              akhbar watch feed libya-oil -n 50 > /var/www/feeds/libya-oil.atom
            """
    )

    @Argument(help: "The watch's name.")
    var name: String

    @Option(name: [.customShort("n"), .customLong("limit")], help: "How many matches the feed holds (1 to 1000).")
    var limit = 20

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if !WatchMatchesParameters.limits.contains(limit) { throw ValidationError("-n must be 1 to 1000.") }
    }

    func run() throws {
        let client = try global.connect()
        let watches = try client.call(.listWatches, NoParameters(), returning: ListWatchesReply.self).watches
        guard let watch = watches.first(where: { $0.name == name }) else {
            throw ClientFailure(VarlinkError.watchNotFound(name))
        }
        let matches = try client.call(
            .watchMatches, WatchMatchesParameters(name: name, limit: limit), returning: WatchMatchesReply.self
        ).matches
        Output(json: false).write(AtomFeed(watch: watch, matches: matches).xml)
    }
}

/// `watch show` and `watch test`: lists of matches, printed alike.
protocol MatchListCommand: ListCommand where Reply == WatchMatchesReply, Item == WatchMatch {}

extension MatchListCommand {
    static func items(of reply: WatchMatchesReply) -> [WatchMatch] { reply.matches }
    static func line(terminal: Terminal) -> (WatchMatch) -> String {
        { WatchMatchFormatter(terminal: terminal).lines(for: $0).joined(separator: "\n") }
    }
}
