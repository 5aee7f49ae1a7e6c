import Testing

@testable import Systemd

#if canImport(Glibc)
import Glibc
#endif

struct ListenFDsTests {
    @Test func findsTheListeningUnixStreamSocket() throws {
        let datagram = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        let unbound = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let listening = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { for descriptor in [datagram, unbound, listening] { close(descriptor) } }
        // Autobinding (an empty address) gives a unique abstract name without a file to clean up.
        var family = sa_family_t(AF_UNIX)
        let bound = withUnsafePointer(to: &family) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listening, $0, socklen_t(MemoryLayout<sa_family_t>.size))
            }
        }
        try #require(bound == 0 && listen(listening, 1) == 0)

        #expect(ListenFDs.isUnixStreamListener(listening))
        #expect(!ListenFDs.isUnixStreamListener(datagram))
        #expect(!ListenFDs.isUnixStreamListener(unbound))
        #expect(ListenFDs(descriptors: [datagram, unbound, listening]).unixStreamListener == listening)
        #expect(ListenFDs(descriptors: [datagram]).unixStreamListener == nil)
    }
}
