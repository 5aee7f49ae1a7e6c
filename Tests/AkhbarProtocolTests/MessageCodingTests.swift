import AkhbarProtocol
import Foundation
import Testing

@Suite("Varlink message coding")
struct MessageCodingTests {
    private func object(_ value: some Encodable) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any])
    }

    @Test("a Search call carries its method and only the parameters given")
    func searchCall() throws {
        let call = VarlinkCall(
            method: ArticlesInterface.Method.search.rawValue, parameters: SearchParameters(query: "ليبيا", limit: 5))
        let json = try object(call)
        #expect(json["method"] as? String == "io.akhbar.Articles.Search")
        #expect(json["more"] == nil && json["oneway"] == nil)
        let parameters = try #require(json["parameters"] as? [String: Any])
        #expect(parameters["query"] as? String == "ليبيا")
        #expect(parameters["limit"] as? Int == 5)
        // Absent, not null: a strict peer may reject null for a field it does not expect.
        #expect(Set(parameters.keys) == ["query", "limit"])
    }

    @Test("a Subscribe call asks for more")
    func subscribeCall() throws {
        let call = VarlinkCall(
            method: ArticlesInterface.Method.subscribe.rawValue, parameters: NoParameters(), more: true)
        let json = try object(call)
        #expect(json["more"] as? Bool == true)
        #expect((json["parameters"] as? [String: Any])?.isEmpty == true)
    }

    @Test("calls and replies survive a round trip")
    func roundTrip() throws {
        let reply = VarlinkReply(
            parameters: SearchReply(hits: [Samples.hit(full: true), Samples.hit(full: false)]), continues: true)
        let decoded = try JSONDecoder().decode(VarlinkReply<SearchReply>.self, from: JSONEncoder().encode(reply))
        #expect(decoded.parameters == reply.parameters)
        #expect(decoded.continues == true)
        let article = GetReply(article: Samples.article(full: true))
        #expect(try JSONDecoder().decode(GetReply.self, from: JSONEncoder().encode(article)) == article)
    }

    @Test("the Search reply written without JSONEncoder decodes to the same hits, escapes and all")
    func handWrittenSearchReply() throws {
        var awkward = Samples.hit(full: true)
        awkward.title = "\"quoted\" \\ back\\slash\n\ttab\r\u{01}\u{1F} / \u{7F} é 🙂 ليبيا"
        awkward.snippet = "…" + String(repeating: "طرابلس ", count: 300) + "\u{0}"
        awkward.score = -1.0e-7
        awkward.id = .max
        awkward.highlights = []
        let reply = SearchReply(hits: [awkward, Samples.hit(full: true), Samples.hit(full: false)])
        let written = Data(reply.varlinkMessage)
        let decoded = try JSONDecoder().decode(VarlinkReply<SearchReply>.self, from: written)
        #expect(decoded.parameters == reply)
        #expect(decoded.error == nil && decoded.continues == nil)
        // Absent, not null, as JSONEncoder leaves them; and nothing a strict parser would refuse.
        let json = try #require(JSONSerialization.jsonObject(with: written) as? [String: Any])
        let hits = try #require((json["parameters"] as? [String: Any])?["hits"] as? [[String: Any]])
        #expect(Set(hits[2].keys) == ["id", "title", "score", "snippet", "highlights"])
        #expect(Set(hits[1].keys) == Set(try object(Samples.hit(full: true)).keys))
        #expect(!written.contains(0))
        // Infinity has no JSON spelling: the reply stays readable.
        var odd = Samples.hit(full: false)
        odd.score = .infinity
        #expect(
            try JSONDecoder().decode(
                VarlinkReply<SearchReply>.self, from: Data(SearchReply(hits: [odd]).varlinkMessage)
            )
            .parameters?.hits.first?.score == 0)
    }

    @Test("the Count reply written without JSONEncoder decodes to the same buckets")
    func handWrittenCountReply() throws {
        let reply = CountReply(
            buckets: [
                CountBucket(key: "2015-07-01", articles: 3, stories: 2), CountBucket(key: nil, articles: 1, stories: 1),
                CountBucket(key: "\"عكاظ\" \\ \n", articles: 0, stories: 0),
            ], total: 4, stories: 3, undated: 1, others: 0)
        let written = Data(reply.varlinkMessage)
        #expect(try JSONDecoder().decode(VarlinkReply<CountReply>.self, from: written).parameters == reply)
        let json = try #require(JSONSerialization.jsonObject(with: written) as? [String: Any])
        let buckets = try #require((json["parameters"] as? [String: Any])?["buckets"] as? [[String: Any]])
        #expect(buckets[1]["key"] == nil, "a bucket without a key leaves it out, as JSONEncoder does")
    }

    @Test("a reply as a daemon writes it decodes, Arabic and offsets intact")
    func decodeSearchReply() throws {
        let text = #"""
            {"parameters":{"hits":[{"id":3,"title":"واشنطن تؤكد","outlet":null,"path":"/d/003.txt","score":-4.25,
            "snippet":"جدّدت واشنطن","highlights":[{"start":6,"end":12}]}]},"continues":false}
            """#
        let reply = try JSONDecoder().decode(VarlinkReply<SearchReply>.self, from: Data(text.utf8))
        let hit = try #require(reply.parameters?.hits.first)
        #expect(hit.id == 3 && hit.outlet == nil && hit.date == nil && hit.duplicates == nil)
        let scalars = Array(hit.snippet.unicodeScalars)
        let span = try #require(hit.highlights.first)
        #expect(String(String.UnicodeScalarView(scalars[span.start..<span.end])) == "واشنطن")
    }

    @Test("an error reply decodes with its name and parameters")
    func decodeErrorReply() throws {
        let text = #"{"error":"io.akhbar.Articles.InvalidQuery","parameters":{"reason":"empty query"}}"#
        let reply = try JSONDecoder().decode(VarlinkReply<[String: String]>.self, from: Data(text.utf8))
        #expect(reply.error == VarlinkError.invalidQuery("empty query").name)
        #expect(reply.parameters == ["reason": "empty query"])
    }

    @Test("VarlinkError describes itself with sorted parameters")
    func errorDescription() {
        #expect(VarlinkError.articleNotFound(42).description == "io.akhbar.Articles.ArticleNotFound (id: 42)")
        #expect(VarlinkError.expectedMore.description == "org.varlink.service.ExpectedMore")
        #expect(VarlinkError("x.Y", ["b": "2", "a": "1"]).description == "x.Y (a: 1, b: 2)")
    }
}
