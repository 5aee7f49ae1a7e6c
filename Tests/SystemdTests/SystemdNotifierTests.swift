import Testing

@testable import Systemd

#if canImport(Glibc)
import Glibc
#endif

/// Everything here reads process-wide environment variables (`NOTIFY_SOCKET`, `WATCHDOG_*`,
/// `LISTEN_*`), so the tests run one at a time and no other suite touches those variables.
@Suite(.serialized)
struct SystemdNotifierTests {
    let notifier = SystemdNotifier()

    @Test func readyWithStatusArrivesAsOneDatagram() throws {
        let socket = try NotifyTestSocket()
        let outcome = socket.whileNotifySocketSet { notifier.ready(status: "31 articles, watching /srv/akhbar/drop") }
        #expect(outcome == .sent)
        #expect(socket.receive() == "READY=1\nSTATUS=31 articles, watching /srv/akhbar/drop")
    }

    @Test func eachStateReachesTheSocket() throws {
        let socket = try NotifyTestSocket()
        socket.whileNotifySocketSet {
            notifier.status("reconciling")
            notifier.stopping()
            notifier.watchdog()
            notifier.extendTimeout(seconds: 30)
            notifier.errno(EACCES)
        }
        #expect(socket.receive() == "STATUS=reconciling")
        #expect(socket.receive() == "STOPPING=1")
        #expect(socket.receive() == "WATCHDOG=1")
        #expect(socket.receive() == "EXTEND_TIMEOUT_USEC=30000000")
        #expect(socket.receive() == "ERRNO=\(EACCES)")
    }

    @Test func reloadingCarriesTheCurrentMonotonicTime() throws {
        let socket = try NotifyTestSocket()
        let before = NotifyMessage.monotonicNow()
        socket.whileNotifySocketSet { notifier.reloading() }
        let after = NotifyMessage.monotonicNow()
        let lines = try #require(socket.receive()).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first == "RELOADING=1")
        let stamp = try #require(
            lines.last.flatMap { $0.hasPrefix("MONOTONIC_USEC=") ? UInt64($0.dropFirst(15)) : nil })
        #expect((before...after).contains(stamp))
    }

    @Test func isUnderSystemdFollowsNotifySocket() throws {
        let socket = try NotifyTestSocket()
        #expect(!notifier.isUnderSystemd)
        #expect(socket.whileNotifySocketSet { notifier.isUnderSystemd })
    }

    @Test func notifyingWithoutSystemdIsANoOp() {
        #expect(notifier.ready() == .notUnderSystemd)
        #expect(notifier.watchdog() == .notUnderSystemd)
    }

    @Test func notifyingAMissingSocketFails() {
        setenv("NOTIFY_SOCKET", "/nonexistent/akhbar-notify.sock", 1)
        defer { unsetenv("NOTIFY_SOCKET") }
        #expect(notifier.ready() == .failed(SystemdError(operation: "sd_notify", code: ENOENT)))
    }

    @Test(arguments: [
        ("4000000", "\(getpid())", Duration?.some(.seconds(2))),
        ("20000000", "\(getpid())", .seconds(10)),
        ("4000000", "1", nil),  // someone else's watchdog
        ("0", "\(getpid())", nil),
        ("soon", "\(getpid())", nil),
    ])
    func watchdogIntervalIsHalfOfWatchdogUsec(usec: String, pid: String, expected: Duration?) {
        setenv("WATCHDOG_USEC", usec, 1)
        setenv("WATCHDOG_PID", pid, 1)
        defer {
            unsetenv("WATCHDOG_USEC")
            unsetenv("WATCHDOG_PID")
        }
        #expect(notifier.watchdogInterval == expected)
    }

    @Test func noWatchdogWithoutWatchdogUsec() {
        #expect(notifier.watchdogInterval == nil)
    }

    @Test func noSocketsWithoutSocketActivation() throws {
        #expect(try ListenFDs.take().descriptors.isEmpty)
    }
}
