import AkhbarProtocol
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

@Suite("VarlinkConnection against a scripted peer")
struct VarlinkConnectionTests {
    @Test("a call sends one NUL-terminated message and decodes the reply")
    func call() throws {
        let peer = try ScriptedVarlinkPeer { _ in
            [#"{"parameters":{"hits":[{"id":1,"title":"ت","score":1.5,"snippet":"س","highlights":[]}]}}"#]
        }
        let connection = try VarlinkConnection(path: peer.path)
        let reply = try connection.call(
            ArticlesInterface.Method.search.rawValue, SearchParameters(query: "مصراته"), returning: SearchReply.self)
        #expect(reply.hits.map(\.id) == [1])
        let sent = try #require(peer.messages.first)
        let json = try #require(JSONSerialization.jsonObject(with: Data(sent.utf8)) as? [String: Any])
        #expect(json["method"] as? String == "io.akhbar.Articles.Search")
        #expect((json["parameters"] as? [String: Any])?["query"] as? String == "مصراته")
    }

    @Test("an error reply is thrown as VarlinkError, numbers kept as text")
    func errorReply() throws {
        let peer = try ScriptedVarlinkPeer { message in
            message.contains("Get")
                ? [#"{"error":"io.akhbar.Articles.ArticleNotFound","parameters":{"id":99}}"#]
                : [#"{"error":"io.akhbar.Articles.InvalidQuery","parameters":{"reason":"nothing to search for"}}"#]
        }
        let connection = try VarlinkConnection(path: peer.path)
        #expect(throws: VarlinkError.invalidQuery("nothing to search for")) {
            try connection.call(
                ArticlesInterface.Method.search.rawValue, SearchParameters(query: "-"), returning: SearchReply.self)
        }
        // The connection stays usable after an error reply.
        #expect(throws: VarlinkError.articleNotFound(99)) {
            try connection.call(ArticlesInterface.Method.get.rawValue, GetParameters(id: 99), returning: GetReply.self)
        }
    }

    @Test("a more call streams replies until one comes without continues")
    func stream() throws {
        let peer = try ScriptedVarlinkPeer { _ in
            [1, 2, 3].map { id in
                #"{"parameters":{"article":{"id":\#(id),"title":"خبر","ingested":"2025-01-01T00:00:00Z"}},"continues":\#(id < 3)}"#
            }
        }
        let connection = try VarlinkConnection(path: peer.path)
        try connection.send(
            VarlinkCall(method: ArticlesInterface.Method.subscribe.rawValue, parameters: NoParameters(), more: true))
        var ids: [Int64] = []
        while true {
            let reply = try connection.receive(SubscribeReply.self)
            ids += [reply.parameters?.article?.id].compactMap { $0 }
            if reply.continues != true { break }
        }
        #expect(ids == [1, 2, 3])
        #expect(peer.messages.first?.contains(#""more":true"#) == true)
    }

    @Test("a peer that hangs up is reported as closed")
    func closed() throws {
        let peer = try ScriptedVarlinkPeer { _ in nil }
        let connection = try VarlinkConnection(path: peer.path)
        #expect {
            try connection.call(ArticlesInterface.Method.stats.rawValue, NoParameters(), returning: StatsReply.self)
        } throws: { error in
            guard case VarlinkConnection.ConnectionError.closed = error else { return false }
            return true
        }
    }

    @Test("no socket: cannotConnect names the path and errno")
    func cannotConnect() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "akhbar-missing-\(UUID().uuidString).sock"
        ).path
        #expect {
            _ = try VarlinkConnection(path: path)
        } throws: { error in
            guard case VarlinkConnection.ConnectionError.cannotConnect(let where_, let code) = error else {
                return false
            }
            return where_ == path && code == ENOENT
        }
    }
}
