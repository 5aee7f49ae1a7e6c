import ArgumentParser
import FoundationEssentials
import Glibc

/// `akhbar`: the command-line client of the `akhbard` news indexer.
@main
struct Akhbar: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search and follow the Arabic news articles indexed by akhbard.",
        discussion: """
            akhbar talks to the akhbard daemon over its Varlink socket. On a terminal it prints \
            readable text with the matched words highlighted (set NO_COLOR to turn colours off); \
            piped, or with --json, it prints JSON: one object a line for lists and streams, a single \
            object for show and stats.

            Examples:
              akhbar search الناظوري
              akhbar search ليبيا -حفتر --since 2025-09-01 -n 5
              akhbar show 42 --raw
              akhbar follow --json | jq .title
              akhbar export > backup.jsonl
              AKHBAR_SOCKET=/tmp/akhbar.sock akhbar stats

            Exit status:
              0   success
              1   the daemon answered with an error (invalid query, unknown article, ...)
              2   the command line was wrong
              69  no daemon answered on the socket (EX_UNAVAILABLE)
            """,
        subcommands: [
            SearchCommand.self, ShowCommand.self, SimilarCommand.self, RecentCommand.self, FollowCommand.self,
            WatchCommand.self, CountCommand.self, TermsCommand.self, StatsCommand.self, RejectedCommand.self,
            ExportCommand.self,
            RescanCommand.self,
            QueryHelpCommand.self,
        ]
    )

    @OptionGroup var global: GlobalOptions

    /// Runs the command line, mapping every failure to the documented exit status.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as ClientFailure {
            Output.note("akhbar: " + failure.message)
            Glibc.exit(failure.status.rawValue)
        } catch {
            // ArgumentParser reports usage errors as EX_USAGE (64); the client promises 2, like most tools.
            if exitCode(for: error) == .validationFailure {
                Output.note(fullMessage(for: error))
                Glibc.exit(ExitStatus.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}
