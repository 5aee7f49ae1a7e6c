import AkhbarProtocol
import Foundation
import Testing

@Suite("Interface descriptions")
struct InterfaceDescriptionTests {
    let articles: VarlinkIDL

    init() throws {
        articles = try VarlinkIDL(parsing: ArticlesInterface.description)
    }

    @Test("io.akhbar.Articles opens with comments, then its interface line")
    func opening() {
        let lines = ArticlesInterface.description.split(separator: "\n").map { String($0).trimmingWhitespace() }
        let firstCode = lines.firstIndex { !$0.hasPrefix("#") && !$0.isEmpty }
        #expect(lines.first?.hasPrefix("#") == true)
        #expect(firstCode.map { lines[$0] } == "interface io.akhbar.Articles")
    }

    @Test(
        "both interfaces parse and define every type they use",
        arguments: [
            (ArticlesInterface.description, ArticlesInterface.name),
            (ServiceInterface.description, ServiceInterface.name),
        ])
    func wellFormed(description: String, name: String) throws {
        let idl = try VarlinkIDL(parsing: description)
        #expect(idl.name == name)
        #expect(idl.undefinedTypes.isEmpty)
    }

    @Test("the methods are exactly ArticlesInterface.Method")
    func methods() {
        let declared = Set(ArticlesInterface.Method.allCases.map { $0.rawValue })
        #expect(Set(articles.methods.keys.map { ArticlesInterface.name + "." + $0 }) == declared)
    }

    @Test("the errors are exactly those VarlinkError builds for the interface")
    func errors() {
        let built = [
            VarlinkError.articleNotFound(1), .invalidQuery("x"), .storeUnavailable("x"), .invalidMessage("x"),
            .tooManyConnections, .watchNotFound("x"), .watchExists("x"), .invalidWatch("x"),
            .sourceNotFound(id: 1, source: 2, sources: 1), .fileNotKept(id: 1, source: 1),
        ]
        #expect(Set(articles.errors.keys.map { ArticlesInterface.name + "." + $0 }) == Set(built.map(\.name)))
        for error in built {
            let name = String(error.name.dropFirst(ArticlesInterface.name.count + 1))
            #expect(Set(articles.errors[name]?.map(\.name) ?? []) == Set(error.parameters.keys))
        }
    }

    // The Codable types must put on the wire exactly the fields the interface promises, and leave
    // out only the ones it marks optional.
    @Test("Codable types match the interface's records")
    func codableMatchesRecords() throws {
        try expectFields(of: Samples.hit(full: true), Samples.hit(full: false), match: articles.types["Hit"])
        try expectFields(
            of: Samples.summary(full: true), Samples.summary(full: false), match: articles.types["Summary"])
        try expectFields(
            of: Samples.article(full: true), Samples.article(full: false), match: articles.types["Article"])
        try expectFields(
            of: Samples.source(full: true), Samples.source(full: false), match: articles.types["Source"])
        try expectFields(
            of: Samples.rejection(full: true), Samples.rejection(full: false), match: articles.types["Rejection"])
        try expectFields(
            of: Highlight(start: 0, end: 1), Highlight(start: 0, end: 1), match: articles.types["Highlight"])
        try expectFields(of: Samples.problem, Samples.problem, match: articles.types["Problem"])
        try expectFields(
            of: Samples.watch(full: true), Samples.watch(full: false), match: articles.types["Watch"])
        try expectFields(
            of: Samples.match(full: true), Samples.match(full: false), match: articles.types["WatchMatch"])
    }

    @Test("Codable parameters and replies match the interface's methods")
    func codableMatchesMethods() throws {
        let method = { (name: String) in self.articles.methods[name] }
        try expectFields(
            of: SearchParameters(
                query: "q", limit: 1, offset: 1, since: "2025-01-01", until: "2025-12-31", collapse: false,
                partial: false),
            SearchParameters(query: "q"), match: method("Search")?.input)
        try expectFields(of: SearchReply(hits: []), SearchReply(hits: []), match: method("Search")?.output)
        try expectFields(of: GetParameters(id: 1), GetParameters(id: 1), match: method("Get")?.input)
        try expectFields(
            of: GetReply(article: Samples.article(full: true)), GetReply(article: Samples.article(full: true)),
            match: method("Get")?.output)
        let fileParameters = GetFileParameters(id: 1, source: 1)
        try expectFields(of: fileParameters, fileParameters, match: method("GetFile")?.input)
        let file = GetFileReply(source: Samples.source(full: true), data: "AA==")
        try expectFields(of: file, file, match: method("GetFile")?.output)
        try expectFields(of: LimitParameters(limit: 5), LimitParameters(), match: method("Recent")?.input)
        try expectFields(of: LimitParameters(limit: 5), LimitParameters(), match: method("Rejections")?.input)
        try expectFields(of: RecentReply(articles: []), RecentReply(articles: []), match: method("Recent")?.output)
        try expectFields(
            of: RejectionsReply(rejections: []), RejectionsReply(rejections: []), match: method("Rejections")?.output)
        try expectFields(of: Samples.stats(full: true), Samples.stats(full: false), match: method("Stats")?.output)
        try expectFields(of: NoParameters(), NoParameters(), match: method("Stats")?.input)
        try expectFields(of: SubscribeParameters(after: 7), SubscribeParameters(), match: method("Subscribe")?.input)
        try expectFields(
            of: SubscribeReply(article: Samples.summary(full: true)), SubscribeReply(missed: 3, resumeAfter: 7),
            match: method("Subscribe")?.output, allOptional: true)
        try expectFields(of: GetParameters(id: 1), GetParameters(id: 1), match: method("Similar")?.input)
        try expectFields(of: SimilarReply(articles: []), SimilarReply(articles: []), match: method("Similar")?.output)
        try expectFields(of: NoParameters(), NoParameters(), match: method("Export")?.input)
        try expectFields(
            of: ExportReply(article: Samples.article(full: true)), ExportReply(article: nil),
            match: method("Export")?.output)
        try expectFields(of: NoParameters(), NoParameters(), match: method("Rescan")?.input)
        try expectFields(of: RescanReply(queued: 2), RescanReply(queued: 2), match: method("Rescan")?.output)
        try expectFields(
            of: AddWatchParameters(name: "n", query: "q", note: "x"), AddWatchParameters(name: "n", query: "q"),
            match: method("AddWatch")?.input)
        let watch = WatchReply(watch: Samples.watch(full: true))
        try expectFields(of: watch, watch, match: method("AddWatch")?.output)
        try expectFields(
            of: WatchNameParameters(name: "n"), WatchNameParameters(name: "n"), match: method("RemoveWatch")?.input)
        try expectFields(of: EmptyReply(), EmptyReply(), match: method("RemoveWatch")?.output)
        try expectFields(of: NoParameters(), NoParameters(), match: method("ListWatches")?.input)
        try expectFields(
            of: ListWatchesReply(watches: []), ListWatchesReply(watches: []), match: method("ListWatches")?.output)
        try expectFields(
            of: WatchMatchesParameters(name: "n", limit: 3, allCopies: true), WatchMatchesParameters(name: "n"),
            match: method("WatchMatches")?.input)
        let matches = WatchMatchesReply(matches: [])
        try expectFields(of: matches, matches, match: method("WatchMatches")?.output)
        try expectFields(
            of: TestWatchParameters(query: "q", latest: 10, limit: 3), TestWatchParameters(query: "q"),
            match: method("TestWatch")?.input)
        try expectFields(of: matches, matches, match: method("TestWatch")?.output)
        try expectFields(
            of: FollowWatchesParameters(watches: ["a"], after: 1, consumer: "c", allCopies: true),
            FollowWatchesParameters(), match: method("FollowWatches")?.input)
        let followed = FollowWatchesReply(match: Samples.match(full: true))
        try expectFields(of: followed, followed, match: method("FollowWatches")?.output)
        try expectFields(
            of: AcknowledgeParameters(consumer: "c", cursor: 1), AcknowledgeParameters(consumer: "c", cursor: 1),
            match: method("Acknowledge")?.input)
        try expectFields(of: EmptyReply(), EmptyReply(), match: method("Acknowledge")?.output)
        try expectFields(
            of: CountParameters(
                query: "q", by: .day, since: "2015-01-01", until: "2015-12-31", outlet: "o", author: "a", limit: 5,
                byIngest: true),
            CountParameters(by: .day), match: method("Count")?.input)
        let counted = CountReply(
            buckets: [CountBucket(key: "2015-07", articles: 2, stories: 1)], total: 2, stories: 1, undated: 0, others: 0
        )
        try expectFields(of: counted, counted, match: method("Count")?.output)
        try expectFields(
            of: CountBucket(key: "k", articles: 1, stories: 1), CountBucket(key: nil, articles: 1, stories: 1),
            match: articles.types["CountBucket"])
        try expectFields(
            of: TermsParameters(
                query: "q", since: "2015-01-01", until: "2015-12-31", outlet: "o", author: "a", limit: 5,
                phrases: false),
            TermsParameters(), match: method("Terms")?.input)
        let term = SignificantTerm(text: "t", words: 1, count: 2, archive: 3, score: 12.5)
        let terms = TermsReply(terms: [term], matched: 2, analyzed: 2, archive: 10)
        try expectFields(of: terms, terms, match: method("Terms")?.output)
        try expectFields(of: term, term, match: articles.types["SignificantTerm"])
    }

    @Test("org.varlink.service GetInfo matches its Codable reply")
    func serviceInfo() throws {
        let service = try VarlinkIDL(parsing: ServiceInterface.description)
        let info = ServiceInterface.InfoReply(vendor: "v", product: "p", version: "1", url: "u", interfaces: [])
        try expectFields(of: info, info, match: service.methods["GetInfo"]?.output)
        let parameters = ServiceInterface.DescriptionParameters(interface: ArticlesInterface.name)
        try expectFields(of: parameters, parameters, match: service.methods["GetInterfaceDescription"]?.input)
    }

    /// With `allOptional`, `full` and `minimal` are two replies that each carry some of the optional
    /// fields: together they must carry all of them.
    private func expectFields(
        of full: some Encodable, _ minimal: some Encodable, match fields: [VarlinkIDL.Field]?,
        allOptional: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let fields = try #require(fields, sourceLocation: sourceLocation)
        if allOptional {
            #expect(fields.allSatisfy { $0.isOptional }, sourceLocation: sourceLocation)
            let union = try keys(of: full).union(try keys(of: minimal))
            #expect(union == Set(fields.map(\.name)), sourceLocation: sourceLocation)
            return
        }
        #expect(try keys(of: full) == Set(fields.map(\.name)), sourceLocation: sourceLocation)
        #expect(
            try keys(of: minimal) == Set(fields.filter { !$0.isOptional }.map(\.name)), sourceLocation: sourceLocation)
    }

    private func keys(of value: some Encodable) throws -> Set<String> {
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any]
        return Set(object?.keys.map { $0 } ?? [])
    }
}
