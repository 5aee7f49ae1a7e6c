import AkhbarProtocol
import ArgumentParser

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `akhbar follow`: new articles as the daemon commits them.
struct FollowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow",
        abstract: "Print each new article, or each new match of watches, as it is committed, until interrupted.",
        discussion: """
            Like `journalctl -f`: runs until Ctrl-C (or SIGTERM) and then ends by that signal. \
            Only articles committed after it starts are printed, unless --after gives an article \
            id: then every article with a higher id comes first. Each line is written as soon as \
            the article arrives, also into a pipe.

            Should the daemon cut it off for reading too slowly, follow says so on standard error \
            and subscribes again after the last article it printed, so no article is lost.

            With --watch (or --all-watches) it prints the matches of saved searches instead \
            (`akhbar watch --help`), and --after is a match cursor: every match with a higher \
            cursor comes first. With --consumer NAME the daemon keeps that consumer's place: each \
            match is acknowledged once it is written out, and the next `follow --consumer NAME` \
            (after the client, the pipe or the daemon died) resumes just after the last match \
            acknowledged. Ctrl-C and SIGTERM wait while a match is written and acknowledged, so \
            stopping follow repeats nothing. Delivery is still at least once: a match written but \
            not yet acknowledged when the client is killed harder comes again, with the same \
            cursor, so a reader that remembers the last cursor it handled can drop the repeat.

            Examples:
              akhbar follow
              akhbar follow --after 1200 --json
              akhbar follow --json | while read -r line; do ...; done
              akhbar follow --watch libya-oil,tripoli
              akhbar follow --all-watches --consumer mail --json | mail-gateway
            """
    )

    @Option(
        help: ArgumentHelp(
            "First print every article with a higher id (with --watch, every match with a higher cursor), oldest first.",
            valueName: "id"))
    var after: Int64?

    @Option(
        help: ArgumentHelp("Print the matches of these watches instead of every article.", valueName: "name[,name…]"))
    var watch: String?

    @Flag(help: "Print the matches of every watch.")
    var allWatches = false

    @Option(
        help: ArgumentHelp(
            "Resume where this named consumer last acknowledged, and acknowledge each match written.",
            valueName: "name"))
    var consumer: String?

    @Flag(help: "With --watch, also print near-duplicates of stories a watch already matched.")
    var allCopies = false

    @Flag(help: "Print JSON Lines, one article a line, even on a terminal.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let after, after < 0 { throw ValidationError("--after must be an article id, 0 or more.") }
        if watch != nil, allWatches { throw ValidationError("Give --watch or --all-watches, not both.") }
        let following = watch != nil || allWatches
        if !following, consumer != nil || allCopies {
            throw ValidationError("--consumer and --all-copies go with --watch or --all-watches.")
        }
        if let consumer, let problem = WatchInfo.problem(withName: consumer) {
            throw ValidationError("--consumer: " + problem + ".")
        }
    }

    func run() throws {
        if watch != nil || allWatches { return try followWatches() }
        let output = Output(json: json)
        var cursor = after
        while true {
            let client = try global.connect()
            var gap: (missed: Int, resumeAfter: Int64)?
            try client.stream(.subscribe, SubscribeParameters(after: cursor), returning: SubscribeReply.self) {
                reply throws(ClientFailure) in
                if let missed = reply.missed, let resumeAfter = reply.resumeAfter { gap = (missed, resumeAfter) }
                guard let article = reply.article else { return }
                switch output.format {
                case .json:
                    try output.json(article)
                case .text(let terminal):
                    output.line(SummaryFormatter(terminal: terminal).line(for: article))
                }
            }
            guard let gap else {
                // A subscription has no natural end: the daemon finishing it means it is going away.
                throw ClientFailure(
                    message: "the daemon at \(client.socket) ended the subscription", status: .unavailable)
            }
            Output.note(
                "akhbar: warning: fell \(gap.missed) articles behind the daemon; "
                    + "catching up after article \(gap.resumeAfter)")
            cursor = gap.resumeAfter
        }
    }

    /// Streams watch matches. A consumer's acknowledgements go over a second connection, each right
    /// after its match is written, since the first is busy with the stream. Ctrl-C, SIGTERM and SIGHUP
    /// wait while a match is written and acknowledged, so a consumer stopped by them resumes just
    /// after the last match it wrote; only a harder death between the two repeats that match.
    private func followWatches() throws {
        let output = Output(json: json)
        let names = watch.map { $0.split(separator: ",").map { String($0) }.filter { !$0.isEmpty } } ?? []
        let client = try global.connect()
        let acknowledger = try consumer.map { _ in try global.connect() }
        let parameters = FollowWatchesParameters(
            watches: names, after: after, consumer: consumer, allCopies: allCopies ? true : nil)
        var stops = sigset_t()
        sigemptyset(&stops)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&stops, signal) }
        try client.stream(.followWatches, parameters, returning: FollowWatchesReply.self) {
            reply throws(ClientFailure) in
            let match = reply.match
            var previous = sigset_t()
            if acknowledger != nil { pthread_sigmask(SIG_BLOCK, &stops, &previous) }
            defer { if acknowledger != nil { pthread_sigmask(SIG_SETMASK, &previous, nil) } }
            switch output.format {
            case .json:
                try output.json(match)
            case .text(let terminal):
                output.line(WatchMatchFormatter(terminal: terminal).lines(for: match).joined(separator: "\n"))
            }
            if let acknowledger, let consumer {
                _ = try acknowledger.call(
                    .acknowledge, AcknowledgeParameters(consumer: consumer, cursor: match.cursor),
                    returning: EmptyReply.self)
            }
        }
        throw ClientFailure(message: "the daemon at \(client.socket) ended the stream of matches", status: .unavailable)
    }
}
