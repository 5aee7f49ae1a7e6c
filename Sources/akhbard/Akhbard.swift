import AkhbarDaemon
import AkhbarProtocol
import ArgumentParser
import CMalloc
import Foundation
import Logging
import Systemd

/// `akhbard`: the Akhbar daemon.
@main
struct Akhbard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "akhbard",
        abstract: "Watch a drop folder for news articles, index them, and answer queries on a Unix socket.",
        discussion: """
            Files dropped into the folder (and its subfolders) are parsed and indexed as soon as they are \
            completely written. Query them with `akhbar`.

            Defaults: the store is $STATE_DIRECTORY/akhbar.sqlite under systemd, else \
            $XDG_STATE_HOME/akhbar/akhbar.sqlite (~/.local/state/akhbar/akhbar.sqlite); the socket is \
            $RUNTIME_DIRECTORY/akhbar.sock under systemd, else $XDG_RUNTIME_DIR/akhbar/akhbar.sock \
            (/run/user/UID/akhbar/akhbar.sock). Settings come from the flags, then --config FILE \
            (default $CONFIGURATION_DIRECTORY/akhbard.conf when it exists).

            Signals: SIGTERM/SIGINT stop after committing the open batch, even during the start-up \
            ingest; SIGHUP re-reads the config file.

            Exit status: 0 after SIGTERM/SIGINT; 78 for a bad configuration; 1 when the daemon cannot \
            start (another akhbard holds the store, the store cannot be written, the drop folder cannot \
            be watched) or must stop (the drop folder gone for longer than --drop-grace, the socket \
            no longer accepting).

            Example:
              akhbard --drop ~/news/drop
            """)

    @Option(name: .long, help: ArgumentHelp("The drop folder, watched recursively.", valueName: "dir"))
    var drop: String?

    @Option(name: .long, help: ArgumentHelp("The SQLite store.", valueName: "file"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("The query socket.", valueName: "path"))
    var socket: String?

    @Option(
        name: .long,
        help: ArgumentHelp("trace, debug, info, notice, warning, error or critical (default info).", valueName: "level")
    )
    var logLevel: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Reject files larger than this many bytes (default 10485760 = 10 MiB).", valueName: "bytes"))
    var maxFileSize: Int?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Seconds to wait for a removed or moved drop folder to come back before failing (default 30).",
            valueName: "seconds"))
    var dropGrace: String?

    @Option(
        name: .long,
        help: ArgumentHelp("A config file of `key = value` lines with the flags' names.", valueName: "file"))
    var config: String?

    func run() async throws {
        // glibc gives each thread that allocates its own arena, up to eight per core; parsing lanes,
        // the writer and readers then each keep freed memory of their own. With two, the peak of a
        // 31,000-article ingest went from 121 to 100 MB, its speed within the machine's noise.
        _ = mallopt(M_ARENA_MAX, 2)
        // A file size limit (LimitFSIZE=, ulimit -f) then fails the write that crosses it with EFBIG,
        // which fails the commit, shows as a problem and is retried, instead of killing the daemon
        // in the middle of one; PostgreSQL does the same.
        signal(SIGXFSZ, SIG_IGN)
        let environment = ProcessInfo.processInfo.environment
        let configuration: DaemonConfiguration
        do {
            configuration = try resolve(environment: environment)
        } catch {
            FileHandle.standardError.write(Data("akhbard: \(error)\n".utf8))
            SystemdNotifier().errno(EINVAL)
            throw ExitCode(78)  // EX_CONFIG
        }
        let levels = LogLevelSwitch(configuration.logLevel)
        _ = LoggingBootstrap.bootstrap(identifier: "akhbard", levelSwitch: levels)
        let logger = Logger(label: "akhbard")
        let listen = try? ListenFDs.take()
        let daemon = Daemon(
            configuration: configuration, notifier: SystemdNotifier(), logger: logger,
            listenDescriptor: listen?.unixStreamListener,
            reloadConfiguration: { try resolve(environment: environment) },
            applyLogLevel: { levels.level = $0 })
        do {
            try await daemon.run()
        } catch {
            logger.critical("stopped on a fatal error", metadata: ["reason": "\(error)"])
            SystemdNotifier().errno((error as? POSIXError)?.code.rawValue ?? EIO)
            throw ExitCode(1)
        }
    }

    /// Flags over the config file over defaults.
    private func resolve(environment: [String: String]) throws -> DaemonConfiguration {
        let defaults = DefaultPaths(environment: environment, userID: getuid())
        var file = ConfigFile(values: [:])
        if let config {
            file = try ConfigFile(path: config)
        } else if let folder = environment["CONFIGURATION_DIRECTORY"]?.split(separator: ":").first.map(String.init) {
            let path = folder + "/akhbard.conf"
            if FileManager.default.fileExists(atPath: path) { file = try ConfigFile(path: path) }
        }
        guard let dropFolder = drop ?? file.values["drop"] else {
            throw DaemonError("no drop folder: give --drop DIR or set `drop = DIR` in the config file")
        }
        let levelName = logLevel ?? file.values["log-level"] ?? "info"
        guard let level = Logger.Level(rawValue: levelName.lowercased()) else {
            throw DaemonError(
                "unknown log level `\(levelName)` (use trace, debug, info, notice, warning, error or critical)")
        }
        let size =
            try maxFileSize ?? file.values["max-file-size"].map { text in
                guard let bytes = ConfigFile.size(text) else {
                    throw DaemonError("max-file-size must be a number of bytes, not `\(text)`")
                }
                return bytes
            } ?? 10 << 20
        guard size > 0 else { throw DaemonError("--max-file-size must be positive") }
        let graceText = dropGrace ?? file.values["drop-grace"]
        let grace =
            try graceText.map { text in
                guard let grace = ConfigFile.seconds(text) else {
                    throw DaemonError("drop-grace must be a whole number of seconds from 0 to 86400, not `\(text)`")
                }
                return grace
            } ?? DaemonConfiguration.defaultDropGrace
        return DaemonConfiguration(
            dropFolder: dropFolder, store: store ?? file.values["store"] ?? defaults.store,
            socket: socket ?? file.values["socket"] ?? defaults.socket, logLevel: level, maxFileSize: size,
            dropGrace: grace)
    }
}
