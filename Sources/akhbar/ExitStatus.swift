/// The exit statuses `akhbar` promises to scripts; the root command's help lists them.
enum ExitStatus: Int32 {
    case success = 0
    /// The daemon answered with an error: an invalid query, an unknown article, an unavailable store.
    case failedRequest = 1
    /// The command line was wrong.
    case usage = 2
    /// `EX_UNAVAILABLE` from sysexits.h: no daemon answered on the socket, or it went away mid-call.
    case unavailable = 69
}
