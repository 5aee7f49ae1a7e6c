import Foundation
import Glibc

/// An exclusive lock on a store, held by one daemon for its whole life: two daemons writing one
/// store would each think its view of the files is the truth.
///
/// `flock` on `STORE.lock` beside the store, holding the holder's PID for the error the next
/// daemon gives. The kernel releases the lock when the process ends, however it ends, so a
/// leftover file from a crash locks nothing; it is never deleted, because a daemon that deleted
/// it on exit could let a third daemon lock a new file while a second still holds the old one.
struct StoreLock: ~Copyable {
    private let descriptor: Int32

    /// Takes the lock beside `store`, or throws naming the daemon that holds it.
    init(beside store: String) throws {
        let path = store + ".lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw DaemonError("cannot open the store's lock \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = Self.holder(reading: descriptor)
            close(descriptor)
            guard code == EWOULDBLOCK else {
                throw DaemonError("cannot lock the store \(path): \(String(cString: strerror(code)))")
            }
            throw DaemonError(
                "the store \(store) is in use by another akhbard (\(holder.map { "PID \($0)" } ?? "PID unknown"), "
                    + "holding \(path)); stop it first or give this one another --store")
        }
        let pid = Array("\(getpid())\n".utf8)
        if ftruncate(descriptor, 0) != 0 || pwrite(descriptor, pid, pid.count, 0) != pid.count {
            // The lock holds all the same; only the next daemon's message loses the PID.
            _ = ftruncate(descriptor, 0)
        }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Lets the next daemon have the store.
    consuming func release() {
        close(descriptor)
        discard self
    }

    private static func holder(reading descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
