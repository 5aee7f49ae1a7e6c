#if canImport(Glibc)
import Glibc
#endif

/// Where the daemon's log goes.
public enum LogDestination: Sendable, Hashable {
    /// Structured entries through ``JournalLogHandler``.
    case journal
    /// Readable lines through ``StderrLogHandler``.
    case standardError

    /// The journal when standard error is the stream systemd connected to journald, standard error
    /// otherwise (also when the daemon runs under systemd with its stderr redirected elsewhere).
    public static func detect() -> LogDestination {
        var status = stat()
        guard let stream = getenv("JOURNAL_STREAM"), fstat(STDERR_FILENO, &status) == 0 else {
            return .standardError
        }
        return choose(
            journalStream: String(cString: stream), device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }

    /// The check systemd.exec(5) documents for `$JOURNAL_STREAM`: its `DEVICE:INODE` (decimal) must
    /// match standard error's.
    public static func choose(journalStream: String?, device: UInt64, inode: UInt64) -> LogDestination {
        guard let journalStream else { return .standardError }
        let parts = journalStream.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let streamDevice = UInt64(parts[0]), let streamInode = UInt64(parts[1]) else {
            return .standardError
        }
        return streamDevice == device && streamInode == inode ? .journal : .standardError
    }
}
