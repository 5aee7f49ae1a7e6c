import Testing

@testable import Systemd

#if canImport(Glibc)
import Glibc
#endif

struct PeerCredentialsTests {
    @Test func readsThePeerOfASocketPair() throws {
        var pair: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { for descriptor in pair { close(descriptor) } }
        let peer = try PeerCredentials(socket: pair[0])
        #expect(peer == PeerCredentials(pid: getpid(), uid: getuid(), gid: getgid()))
    }

    @Test func aClosedDescriptorIsAnError() {
        #expect(throws: SystemdError(operation: "getsockopt(SO_PEERCRED)", code: EBADF)) {
            try PeerCredentials(socket: -1)
        }
    }

    @Test func onlyRootOrTheServiceUserMayChangeState() {
        #expect(PeerCredentials(pid: 1, uid: 0, gid: 0).isRoot(orUser: 995))
        #expect(PeerCredentials(pid: 1, uid: 995, gid: 995).isRoot(orUser: 995))
        #expect(!PeerCredentials(pid: 1, uid: 1000, gid: 995).isRoot(orUser: 995))
    }
}
