import AkhbarProtocol
import AkhbarStore
import Foundation
import Logging
import Glibc

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
            return try encode(ServiceInterface.InfoReply(
                vendor: "Akhbar", product: "akhbard", version: DaemonStatus.version,
                url: "https://github.com/akhbar/akhbar", interfaces: [ServiceInterface.name, ArticlesInterface.name]))
        case "org.varlink.service.GetInterfaceDescription":
            let interface = try call.parameters(ServiceInterface.DescriptionParameters.self).interface
            switch interface {
            case ServiceInterface.name: return try encode(ServiceInterface.DescriptionReply(description: ServiceInterface.description))
            case ArticlesInterface.name: return try encode(ServiceInterface.DescriptionReply(description: ArticlesInterface.description))
            default: throw .interfaceNotFound(interface)
            }
        case ArticlesInterface.Method.search.rawValue:
            let parameters = try call.parameters(SearchParameters.self)
            return Data(SearchReply(hits: try await storeCall { try await store.search(parameters) }).varlinkMessage)
        case ArticlesInterface.Method.get.rawValue:
            let id = try call.parameters(GetParameters.self).id
            guard let article = try await storeCall({ try await store.article(id: id) }) else { throw .articleNotFound(id) }
            return try encode(GetReply(article: article))
        case ArticlesInterface.Method.recent.rawValue:
            let limit = (try? call.parameters(LimitParameters.self))?.limit ?? 20
            return try encode(RecentReply(articles: try await storeCall { try await store.recent(limit: limit) }))
        case ArticlesInterface.Method.rejections.rawValue:
            let limit = (try? call.parameters(LimitParameters.self))?.limit ?? 100
            return try encode(RejectionsReply(rejections: try await storeCall { try await store.rejections(limit: limit) }))
        case ArticlesInterface.Method.stats.rawValue:
            return try encode(try await status.stats())
        case ArticlesInterface.Method.similar.rawValue:
            let id = try call.parameters(GetParameters.self).id
            guard let articles = try await storeCall({ try await store.similar(id: id) }) else { throw .articleNotFound(id) }
            return try encode(SimilarReply(articles: articles))
        case ArticlesInterface.Method.subscribe.rawValue, ArticlesInterface.Method.export.rawValue:
            throw .expectedMore
        case ArticlesInterface.Method.rescan.rawValue:
            guard let peer = call.peer, peer.isRoot(orUser: geteuid()) else {
                logger.warning("refused a rescan", metadata: ["uid": "\(call.peer.map { String($0.uid) } ?? "unknown")"])
                throw .permissionDenied
            }
            do {
                status.clearWatchProblems()  // the walk watches every folder again, raising what still fails
                return try encode(RescanReply(queued: try await drop.session.reconciler.reconcile(reason: "rescan requested by uid \(peer.uid)")))
            } catch let error as VarlinkError {
                throw error
            } catch {
                throw .storeUnavailable(String(describing: error))
            }
        default:
            if call.method.hasPrefix(ArticlesInterface.name + ".") || call.method.hasPrefix(ServiceInterface.name + ".") {
                throw .methodNotFound(call.method)
            }
            let interface = call.method.split(separator: ".").dropLast().joined(separator: ".")
            throw .interfaceNotFound(interface)
        }
    }

    /// Sends one encoded reply, waiting while the client is slow to read.
    typealias ReplyWriter = @Sendable (Data) async throws -> Void

    /// For calls that stream (`Subscribe` and `Export` with `more`), the function that sends their
    /// replies; nil for single-reply calls.
    func stream(_ call: IncomingCall) -> (@Sendable (ReplyWriter) async throws -> Void)? {
        guard call.more else { return nil }
        switch call.method {
        case ArticlesInterface.Method.subscribe.rawValue: return subscription
        case ArticlesInterface.Method.export.rawValue: return export
        default: return nil
        }
    }

    private func subscription(_ write: ReplyWriter) async throws {
        let encoder = JSONEncoder()
        for await summary in feed.subscribe() {
            try await write(encoder.encode(VarlinkReply(parameters: SubscribeReply(article: summary), continues: true)))
        }
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
