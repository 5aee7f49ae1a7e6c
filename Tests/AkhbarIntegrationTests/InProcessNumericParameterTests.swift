import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// Numbers at the edge of what a parameter holds: each is refused by name, and the daemon lives on.
///
/// The daemon runs in the test's process (``withInProcessDaemon``); what blocks waits on a thread
/// of its own.
@Suite("Numeric parameters")
struct InProcessNumericParameterTests {
    @Test(
        "a Search offset near Int64.max is refused as InvalidParameter instead of stopping the daemon",
        arguments: [
            SearchParameters(query: "ليبيا", offset: 9_223_372_036_854_775_000),
            SearchParameters(query: "ليبيا", limit: Int.max, offset: Int.max),
            SearchParameters(query: "ليبيا", offset: -1),
            SearchParameters(query: "ليبيا", limit: 0),
            SearchParameters(query: "ليبيا", limit: Int.min),
            SearchParameters(query: "ليبيا", limit: 1001),
            SearchParameters(query: "ليبيا", offset: 10_001),
        ])
    func searchExtremes(parameters: SearchParameters) async throws {
        try await withInProcessDaemon(seeds: true) { daemon in
            await daemon.eventually("the seeds ingested") { try await daemon.stats().articles == 5 }
            let expected = parameters.limit.map { SearchParameters.limits.contains($0) } == false ? "limit" : "offset"
            await #expect(throws: VarlinkError.invalidParameter(expected)) {
                try await daemon.call(.search, parameters, returning: SearchReply.self)
            }
            #expect(daemon.isRunning, "akhbard died: in-process daemon")
            let hits = try await daemon.search("ليبيا")
            #expect(!hits.isEmpty)
        }
    }

    @Test("the largest page at the deepest offset is answered")
    func deepestPage() async throws {
        try await withInProcessDaemon(seeds: true) { daemon in
            await daemon.eventually("the seeds ingested") { try await daemon.stats().articles == 5 }
            let parameters = SearchParameters(
                query: "ليبيا", limit: SearchParameters.limits.upperBound, offset: SearchParameters.offsets.upperBound)
            let reply = try await daemon.call(.search, parameters, returning: SearchReply.self)
            #expect(reply.hits.isEmpty)
        }
    }

    @Test("Recent and Rejections refuse a limit outside their range, and a limit that is not a number")
    func limits() async throws {
        try await withInProcessDaemon { daemon in
            for method in [ArticlesInterface.Method.recent, .rejections] {
                for limit in [0, -1, Int.min, Int.max] {
                    await #expect(throws: VarlinkError.invalidParameter("limit")) {
                        try await daemon.call(method, LimitParameters(limit: limit), returning: RecentReply.self)
                    }
                }
                await #expect(throws: VarlinkError.invalidParameter("limit")) {
                    try await daemon.call(method, ["limit": "20"], returning: RecentReply.self)
                }
            }
            let recent = try await daemon.call(.recent, LimitParameters(limit: 10_000), returning: RecentReply.self)
            #expect(recent.articles.isEmpty)
        }
    }
}
