import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// Subscribers that fall behind are told so and resume without loss.
///
/// The daemon runs in the test's process (``withInProcessDaemon``); what blocks waits on a thread
/// of its own.
@Suite("Subscribe and export streams")
struct InProcessSubscribeTests {
    @Test(
        "a subscriber that never reads is told what it missed, and resuming after its cursor delivers exactly the rest")
    func gapAndResume() async throws {
        try await withInProcessDaemon { daemon in
            let sandbox = daemon.sandbox
            try sandbox.write(SampleArticle.text(title: "firstsentinelmarker"), to: sandbox.dropped("first.txt"))
            await daemon.eventually("the first sentinel ingested") { try await daemon.stats().articles == 1 }

            let slow = try VarlinkConnection(path: sandbox.socket, receiveTimeout: SubscribeTests.patience)
            try slow.send(
                VarlinkCall(
                    method: ArticlesInterface.Method.subscribe.rawValue, parameters: SubscribeParameters(after: 0),
                    more: true))
            // The replayed sentinel proves the subscription is in place before the bulk arrives.
            let first = try await onOwnThread { [slow = Handed(slow)] in try slow.value.receive(SubscribeReply.self) }
            #expect(first.parameters?.article?.path?.hasSuffix("first.txt") == true)

            try sandbox.write(
                SubscribeTests.bulkFile(count: SubscribeTests.bulk, marker: "bulkmarker"),
                to: sandbox.dropped("bulk.jsonl"))
            await daemon.eventually("the bulk file ingested", timeout: .seconds(300), every: .milliseconds(200)) {
                try await daemon.stats().articles == 1 + SubscribeTests.bulk
            }
            // Committed after the bulk file's articles were published: once it is in the store, the
            // subscriber's feed has seen everything it will see.
            try sandbox.write(SampleArticle.text(title: "lastsentinelmarker"), to: sandbox.dropped("last.txt"))
            await daemon.eventually("the last sentinel ingested") {
                try await daemon.stats().articles == 2 + SubscribeTests.bulk
            }

            let (delivered, end) = try await onOwnThread { [slow = Handed(slow)] in try SubscribeTests.read(slow.value)
            }
            let gap = try #require(end, "the slow subscription ended without a last reply")
            let missed = try #require(gap.missed, "the last reply says nothing about missed articles: \(gap)")
            let cursor = try #require(gap.resumeAfter)
            #expect(gap.article == nil)
            #expect(missed > 0)
            #expect(delivered.last?.id == cursor, "the cursor is not the last article delivered")
            print("slow subscriber: \(delivered.count + 1) delivered, \(missed) missed, resume after \(cursor)")

            let resumed = try VarlinkConnection(path: sandbox.socket, receiveTimeout: SubscribeTests.patience)
            try resumed.send(
                VarlinkCall(
                    method: ArticlesInterface.Method.subscribe.rawValue, parameters: SubscribeParameters(after: cursor),
                    more: true))
            let (rest, _) = try await onOwnThread { [resumed = Handed(resumed)] in
                try SubscribeTests.read(resumed.value) { $0.path?.hasSuffix("last.txt") == true }
            }
            let ids = [first.parameters?.article?.id].compactMap { $0 } + delivered.map(\.id) + rest.map(\.id)
            #expect(ids.count == Set(ids).count, "\(ids.count - Set(ids).count) articles delivered twice")
            #expect(
                Set(ids) == Set(1...Int64(2 + SubscribeTests.bulk)),
                "\(2 + SubscribeTests.bulk - Set(ids).count) articles never delivered")
            #expect(ids == ids.sorted(), "articles out of order")
        }
    }

    @Test("a subscription with after replays the store, then continues live with nothing twice and nothing lost")
    func replayThenLive() async throws {
        try await withInProcessDaemon(seeds: true) { daemon in
            await daemon.eventually("the seeds ingested") { try await daemon.stats().articles == 5 }
            let subscriber = try VarlinkConnection(path: daemon.sandbox.socket, receiveTimeout: SubscribeTests.patience)
            try subscriber.send(
                VarlinkCall(
                    method: ArticlesInterface.Method.subscribe.rawValue, parameters: SubscribeParameters(after: 2),
                    more: true))
            try daemon.sandbox.write(
                SampleArticle.text(title: "replaylivemarker"), to: daemon.sandbox.dropped("live.txt"))
            let (articles, _) = try await onOwnThread { [subscriber = Handed(subscriber)] in
                try SubscribeTests.read(subscriber.value) { $0.path?.hasSuffix("live.txt") == true }
            }
            #expect(articles.map(\.id) == [3, 4, 5, 6])
        }
    }

    @Test("Subscribe refuses a negative cursor, and a cursor that is not a number, before any reply")
    func badCursor() async throws {
        try await withInProcessDaemon { daemon in
            for parameters in [#"{"after":-1}"#, #"{"after":"7"}"#, #"{"after":1.5}"#, "[]"] {
                let socket = try RawSocket(path: daemon.sandbox.socket)
                defer { socket.close() }
                let message = #"{"method":"io.akhbar.Articles.Subscribe","more":true,"parameters":\#(parameters)}"#
                let reply = try await onOwnThread { socket.firstReply(to: Data(message.utf8) + [0]) }
                #expect(
                    reply?.contains("org.varlink.service.InvalidParameter") == true,
                    "\(parameters): \(reply ?? "no reply")")
            }
        }
    }
}
