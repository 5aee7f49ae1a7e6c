import Foundation
import Glibc

/// A child process started the way a shell starts one, with its output going to files so it can
/// never stall on a full pipe and its output can be read while it runs.
///
/// Spawned with posix_spawn rather than Foundation's `Process`: children of a test runner's thread
/// inherit its blocked-signal mask, and a client that cannot receive SIGTERM or SIGINT is not what
/// a user gets. Here every child starts with no signal blocked and the usual ones at their defaults.
final class ChildProcess {
    let name: String
    let stdoutURL: URL
    let stderrURL: URL
    let pid: pid_t
    private var waitStatus: Int32?

    /// Variables of the test run that would send a child somewhere other than the test's sandbox:
    /// a service manager's notify socket or socket activation, or the user's own daemon.
    static let leakyVariables = [
        "AKHBAR_SOCKET", "NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "WATCHDOG_USEC",
        "WATCHDOG_PID", "RUNTIME_DIRECTORY", "STATE_DIRECTORY", "NO_COLOR",
    ]

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which its Swift module
    /// does not import.
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? =
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np").map {
            unsafeBitCast(
                $0, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
        }

    /// Starts `executable`; `listener`, when given, becomes the child's descriptor 3, where systemd
    /// puts the first socket it passes (the caller sets `LISTEN_FDS` and `LISTEN_PID`).
    init(
        _ executable: URL, _ arguments: [String], name: String, in directory: URL,
        environment extra: [String: String] = [:],
        passing listener: Int32? = nil
    ) throws {
        self.name = name
        stdoutURL = directory.appendingPathComponent("\(name).stdout")
        stderrURL = directory.appendingPathComponent("\(name).stderr")
        var environment = ProcessInfo.processInfo.environment
        for variable in Self.leakyVariables { environment[variable] = nil }
        environment.merge(extra) { _, new in new }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let listener { posix_spawn_file_actions_adddup2(&actions, listener, 3) }
        // Nothing else of the test process's: an in-process daemon's accepted connections are not
        // close-on-exec (NIO accepts without it), and a child holding one open, a stopped follower for
        // a minute, would keep its client from ever seeing the daemon hang up.
        Self.closeFrom?(&actions, listener == nil ? 3 : 4)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw Failure("cannot start \(executable.path): \(String(cString: strerror(result)))")
        }
        self.pid = pid
    }

    /// A child still running when its owner lets go of it is killed: no test leaves processes behind.
    deinit {
        if isRunning {
            kill(pid, SIGKILL)
            wait(timeout: .seconds(5))
        }
    }

    var isRunning: Bool {
        reap()
        return waitStatus == nil
    }

    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stdoutBytes: Data { (try? Data(contentsOf: stdoutURL)) ?? Data() }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Whether a signal ended the process; then ``status`` is the signal's number.
    var terminatedBySignal: Bool { waitStatus.map { $0 & 0x7F != 0 } ?? false }

    /// The exit status, or the signal number when ``terminatedBySignal``; -1 while running.
    var status: Int32 {
        guard let waitStatus else { return -1 }
        return waitStatus & 0x7F != 0 ? waitStatus & 0x7F : (waitStatus >> 8) & 0xFF
    }

    func send(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits for the process to end; false if it still runs after `timeout`.
    @discardableResult
    func wait(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isRunning {
            if ContinuousClock.now > deadline { return false }
            usleep(5_000)
        }
        return true
    }

    /// The last lines of standard error and output, for failure messages.
    func tail(lines count: Int = 40) -> String {
        let text = stderr + stdout
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
    }

    private func reap() {
        guard waitStatus == nil else { return }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { waitStatus = status }
    }
}
