import AkhbarProtocol
import AkhbarStore
import Foundation
import Glibc
import Logging

/// Answers the methods of `io.akhbar.Articles` and `org.varlink.service` from the store.
struct ArticlesService: Sendable {
    let store: ArticleStore
    let feed: ArticleFeed
    let status: DaemonStatus
    let drop: DropFolderWatch
    let logger: Logger

    /// Methods that change the daemon's state: only root and the daemon's own user may call them.
    func isPrivileged(_ method: String) -> Bool {
        method == ArticlesInterface.Method.rescan.rawValue
    }

    /// Handles a call with a single reply, returned as the encoded reply message.
    func handle(_ call: IncomingCall) async throws(VarlinkError) -> Data {
        switch call.method {
        case "org.varlink.service.GetInfo":
            return try encode(
                ServiceInterface.InfoReply(
                    vendor: "Akhbar", product: "akhbard", version: DaemonStatus.version,
                    url: "https://github.com/akhbar/akhbar",
                    interfaces: [ServiceInterface.name, ArticlesInterface.name]))
        case "org.varlink.service.GetInterfaceDescription":
            let interface = try call.parameters(ServiceInterface.DescriptionParameters.self).interface
            switch interface {
            case ServiceInterface.name:
                return try encode(ServiceInterface.DescriptionReply(description: ServiceInterface.description))
            case ArticlesInterface.name:
                return try encode(ServiceInterface.DescriptionReply(description: ArticlesInterface.description))
            default: throw .interfaceNotFound(interface)
            }
        case ArticlesInterface.Method.search.rawValue:
            let parameters = try call.parameters(SearchParameters.self).validated()
            return Data(SearchReply(hits: try await storeCall { try await store.search(parameters) }).varlinkMessage)
        case ArticlesInterface.Method.get.rawValue:
            let id = try call.parameters(GetParameters.self).id
            guard let article = try await storeCall({ try await store.article(id: id) }) else {
                throw .articleNotFound(id)
            }
            return try encode(GetReply(article: article))
        case ArticlesInterface.Method.getFile.rawValue:
            let parameters = try call.parameters(GetFileParameters.self)
            let file = try await storeCall { try await store.droppedFile(id: parameters.id, source: parameters.source) }
            return try encode(GetFileReply(source: file.source, data: Data(file.bytes).base64EncodedString()))
        case ArticlesInterface.Method.recent.rawValue:
            let limit =
                try call.optionalParameters(LimitParameters())
                .validated(within: LimitParameters.recentLimits).limit ?? 20
            return try encode(RecentReply(articles: try await storeCall { try await store.recent(limit: limit) }))
        case ArticlesInterface.Method.rejections.rawValue:
            let limit =
                try call.optionalParameters(LimitParameters())
                .validated(within: LimitParameters.rejectionLimits).limit ?? 100
            return try encode(
                RejectionsReply(rejections: try await storeCall { try await store.rejections(limit: limit) }))
        case ArticlesInterface.Method.stats.rawValue:
            return try encode(try await status.stats())
        case ArticlesInterface.Method.similar.rawValue:
            let id = try call.parameters(GetParameters.self).id
            guard let articles = try await storeCall({ try await store.similar(id: id) }) else {
                throw .articleNotFound(id)
            }
            return try encode(SimilarReply(articles: articles))
        case ArticlesInterface.Method.subscribe.rawValue, ArticlesInterface.Method.export.rawValue,
            ArticlesInterface.Method.followWatches.rawValue:
            throw .expectedMore
        case ArticlesInterface.Method.addWatch.rawValue:
            let parameters = try call.parameters(AddWatchParameters.self)
            let watch = try await storeCall {
                try await store.addWatch(name: parameters.name, query: parameters.query, note: parameters.note)
            }
            logger.info("watch added", metadata: ["watch": "\(watch.name)", "query": "\(watch.query)"])
            return try encode(WatchReply(watch: watch))
        case ArticlesInterface.Method.removeWatch.rawValue:
            let name = try call.parameters(WatchNameParameters.self).name
            try await storeCall { try await store.removeWatch(name: name) }
            logger.info("watch removed", metadata: ["watch": "\(name)"])
            return try encode(EmptyReply())
        case ArticlesInterface.Method.listWatches.rawValue:
            _ = try call.optionalParameters(NoParameters())
            return try encode(ListWatchesReply(watches: try await storeCall { try await store.watches() }))
        case ArticlesInterface.Method.watchMatches.rawValue:
            let parameters = try call.parameters(WatchMatchesParameters.self).validated()
            return try encode(
                WatchMatchesReply(
                    matches: try await storeCall {
                        try await store.latestMatches(
                            of: parameters.name, copies: parameters.allCopies ?? false, limit: parameters.limit ?? 20)
                    }))
        case ArticlesInterface.Method.testWatch.rawValue:
            let parameters = try call.parameters(TestWatchParameters.self).validated()
            return try encode(
                WatchMatchesReply(
                    matches: try await storeCall {
                        try await store.testWatch(
                            query: parameters.query, latest: parameters.latest ?? 1000, limit: parameters.limit ?? 20)
                    }))
        case ArticlesInterface.Method.count.rawValue:
            let parameters = try call.parameters(CountParameters.self).validated()
            return Data(try await storeCall { try await store.count(parameters) }.varlinkMessage)
        case ArticlesInterface.Method.terms.rawValue:
            let parameters = try call.parameters(TermsParameters.self).validated()
            return try encode(try await storeCall { try await store.terms(parameters) })
        case ArticlesInterface.Method.acknowledge.rawValue:
            let parameters = try call.parameters(AcknowledgeParameters.self).validated()
            try await storeCall {
                try await store.acknowledge(consumer: parameters.consumer, cursor: parameters.cursor)
            }
            return try encode(EmptyReply())
        case ArticlesInterface.Method.rescan.rawValue:
            guard let peer = call.peer, peer.isRoot(orUser: geteuid()) else {
                logger.warning(
                    "refused a rescan", metadata: ["uid": "\(call.peer.map { String($0.uid) } ?? "unknown")"])
                throw .permissionDenied
            }
            do {
                status.clearWatchProblems()  // the walk watches every folder again, raising what still fails
                return try encode(
                    RescanReply(
                        queued: try await drop.session.reconciler.reconcile(
                            reason: "rescan requested by uid \(peer.uid)")))
            } catch let error as VarlinkError {
                throw error
            } catch {
                throw .storeUnavailable(String(describing: error))
            }
        default:
            if call.method.hasPrefix(ArticlesInterface.name + ".") || call.method.hasPrefix(ServiceInterface.name + ".")
            {
                throw .methodNotFound(call.method)
            }
            let interface = call.method.split(separator: ".").dropLast().joined(separator: ".")
            throw .interfaceNotFound(interface)
        }
    }

    /// Sends one encoded reply, waiting while the client is slow to read.
    typealias ReplyWriter = @Sendable (Data) async throws -> Void

    /// For calls that stream (`Subscribe` and `Export` with `more`), the function that sends their
    /// replies; nil for single-reply calls. Parameters are checked here, so a bad one is answered
    /// with an error before any reply of the stream.
    func stream(_ call: IncomingCall) throws(VarlinkError) -> (@Sendable (ReplyWriter) async throws -> Void)? {
        guard call.more else { return nil }
        switch call.method {
        case ArticlesInterface.Method.subscribe.rawValue:
            let parameters = try call.optionalParameters(SubscribeParameters()).validated()
            return { try await subscription(after: parameters.after, $0) }
        case ArticlesInterface.Method.export.rawValue:
            _ = try call.optionalParameters(NoParameters())
            return export
        case ArticlesInterface.Method.followWatches.rawValue:
            let parameters = try call.optionalParameters(FollowWatchesParameters()).validated()
            let names = parameters.watches ?? []
            let ids: [Int64]?
            do {
                ids = names.isEmpty ? nil : try store.watchIDs(named: names)
            } catch ArticleStore.WatchError.notFound(let name) {
                throw .watchNotFound(name)
            } catch {
                throw .storeUnavailable(String(describing: error))
            }
            return { try await followWatches(parameters, ids: ids, $0) }
        default: return nil
        }
    }

    /// Sends the matches after the starting cursor from the store, then each new one as it is
    /// committed. Matches are always read from the store, woken by ``MatchFeed``: a follower that
    /// reads slowly only falls behind in the store, and none is sent twice or left out.
    private func followWatches(_ parameters: FollowWatchesParameters, ids: [Int64]?, _ write: ReplyWriter) async throws
    {
        let encoder = JSONEncoder()
        // Subscribed before the first read, so a commit between that read and the wait still wakes it.
        let subscription = feed.matches.subscribe()
        defer { feed.matches.unsubscribe(subscription) }
        var cursor: Int64
        if let after = parameters.after {
            cursor = after
        } else if let consumer = parameters.consumer, let saved = try await store.consumerCursor(consumer) {
            cursor = saved
        } else {
            cursor = try await store.lastMatchCursor()
        }
        var wakeUps = subscription.cursors.makeAsyncIterator()
        // The first page after a wake-up is one match: each match is sent with a snippet made for it,
        // and a long article that matches a hundred watches should not wait for even sixteen
        // snippets before its first match goes out (bench/watches saw 75–115 ms for the longest).
        // Pages grow while a backlog lasts, which they drain faster.
        var pageSize = 1
        while true {
            let page = try await store.watchMatches(
                after: cursor, ids: ids, copies: parameters.allCopies ?? false, limit: pageSize)
            for match in page {
                try await write(
                    encoder.encode(VarlinkReply(parameters: FollowWatchesReply(match: match), continues: true)))
                cursor = match.cursor
            }
            if page.count == pageSize {
                pageSize = min(pageSize * 4, 256)
                continue
            }
            pageSize = 1
            // Ends only when the daemon stops; the connection then closes, which tells the follower.
            guard await wakeUps.next() != nil else { throw CancellationError() }
        }
    }

    /// Sends the articles with ids above `after` from the store, then the new ones as they are
    /// committed; without `after`, only the new ones. Ends with a reply saying what was missed when
    /// the subscriber falls ``ArticleFeed/backlog`` articles behind.
    private func subscription(after: Int64?, _ write: ReplyWriter) async throws {
        let encoder = JSONEncoder()
        func send(_ reply: SubscribeReply, _ continues: Bool) async throws {
            try await write(encoder.encode(VarlinkReply(parameters: reply, continues: continues)))
        }
        // Articles above the horizon may come both from the replay and, committed during it, from the
        // feed; the replay remembers their versions so the feed does not send them twice. An article
        // committed before the subscription but after the horizon was read is in the replay only.
        let horizon = try await storeCall { try await store.lastArticleID() }
        let subscription = feed.subscribe()
        defer { feed.unsubscribe(subscription) }
        // Every article up to the cursor was sent or predates the subscription.
        var cursor = horizon
        var replayed: [Int64: String] = [:]
        if let after {
            cursor = after
            while true {
                let page = try await storeCall { try await store.summaries(after: cursor, limit: 200) }
                guard let last = page.last else { break }
                for summary in page {
                    if summary.id > horizon { replayed[summary.id] = summary.ingested }
                    try await send(SubscribeReply(article: summary), true)
                }
                cursor = last.id
            }
        }
        for await summary in subscription.articles {
            if let version = replayed[summary.id], version == summary.ingested { continue }
            try await send(SubscribeReply(article: summary), true)
            cursor = max(cursor, summary.id)
        }
        // The feed ends on its own only when the subscriber fell behind or the daemon is stopping;
        // then the connection closes, which tells the subscriber.
        let missed = subscription.missed
        guard missed > 0 else { throw CancellationError() }
        logger.notice("a subscriber fell behind", metadata: ["missed": "\(missed)", "resumeAfter": "\(cursor)"])
        try await send(SubscribeReply(missed: missed, resumeAfter: cursor), false)
    }

    /// Pages through the store, so an export of any size holds one page in memory and a slow
    /// reader slows the export instead of growing the daemon.
    private func export(_ write: ReplyWriter) async throws {
        let encoder = JSONEncoder()
        var after: Int64 = 0
        while true {
            let page: [ArticleRecord]
            do {
                page = try await store.export(after: after, limit: 200)
            } catch is CancellationError {
                // The reader went away (or the daemon is stopping): nothing failed.
                throw CancellationError()
            } catch {
                logger.error("export failed", metadata: ["reason": "\(error)"])
                try await write(VarlinkConnectionHandler.encode(.storeUnavailable(String(describing: error))))
                return
            }
            guard let last = page.last else { break }
            for record in page {
                try await write(encoder.encode(VarlinkReply(parameters: ExportReply(article: record), continues: true)))
            }
            after = last.id
        }
        try await write(encoder.encode(VarlinkReply(parameters: ExportReply(article: nil))))
    }

    private func storeCall<T>(_ body: () async throws -> T) async throws(VarlinkError) -> T {
        do {
            return try await body()
        } catch ArticleStore.SearchError.invalidQuery(let reason) {
            throw .invalidQuery(reason)
        } catch let error as ArticleStore.WatchError {
            switch error {
            case .notFound(let name): throw .watchNotFound(name)
            case .exists(let name): throw .watchExists(name)
            case .invalid(let reason): throw .invalidWatch(reason)
            }
        } catch let error as ArticleStore.DroppedFileError {
            switch error {
            case .articleNotFound(let id): throw .articleNotFound(id)
            case .sourceNotFound(let id, let source, let sources):
                throw .sourceNotFound(id: id, source: source, sources: sources)
            case .notKept(let id, let source): throw .fileNotKept(id: id, source: source)
            }
        } catch is CancellationError {
            // The connection closed or the daemon is stopping: no reply will be read, nothing failed.
            throw .storeUnavailable("cancelled")
        } catch {
            logger.error("store error", metadata: ["reason": "\(error)"])
            throw .storeUnavailable(String(describing: error))
        }
    }

    private func encode<P: Codable & Sendable>(_ parameters: P) throws(VarlinkError) -> Data {
        do {
            return try JSONEncoder().encode(VarlinkReply(parameters: parameters))
        } catch {
            throw .storeUnavailable("cannot encode the reply: \(error)")
        }
    }
}
