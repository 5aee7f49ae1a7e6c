import AkhbarProtocol

/// Example values of the protocol's types, with every optional field set (`full`) or none.
enum Samples {
    static func hit(full: Bool) -> Hit {
        Hit(
            id: 7, title: "واشنطن تؤكد ضرورة توحيد المؤسستين", outlet: full ? "الأمصار" : nil,
            date: full ? "2025-08-26T19:22" : nil, path: full ? "drop/003.txt" : nil, score: 3.5,
            snippet: "توحيد المؤسستين العسكرية", highlights: [Highlight(start: 0, end: 5)], duplicates: full ? 2 : nil,
            dateIsIngest: full ? true : nil
        )
    }

    static func summary(full: Bool) -> Summary {
        Summary(
            id: 7, title: "عنوان", outlet: full ? "وال" : nil, date: full ? "2025-09-24" : nil,
            path: full ? "drop/004.txt" : nil, ingested: "2025-09-25T08:00:00Z"
        )
    }

    static func source(full: Bool) -> SourceInfo {
        full
            ? SourceInfo(
                path: "drop/000.txt", position: 0, gone: false, firstSeen: "2025-09-25T08:00:00Z", outlet: "وال",
                author: "سالم", date: "2025-09-24", datePrecision: "day", size: 1200)
            : SourceInfo(path: "drop/000.txt", position: 0, gone: false, firstSeen: "2025-09-25T08:00:00Z")
    }

    static func article(full: Bool) -> ArticleRecord {
        ArticleRecord(
            id: 7, title: "عنوان", titleDerived: false, outlet: full ? "وال" : nil, section: full ? "ليبيا" : nil,
            author: full ? "جهاد جميل" : nil, date: full ? "2025-09-24" : nil, datePrecision: full ? "day" : nil,
            place: full ? "نيويورك" : nil, agency: full ? "وال" : nil, url: full ? "https://example.org/a" : nil,
            // The full sample is a headline alone, so that it carries `headlineOnly` too.
            body: full ? "" : "نص", original: "عنوان\nنص", extraFields: full ? "{}" : nil,
            ingested: "2025-09-25T08:00:00Z",
            updated: "2025-09-25T08:00:00Z", sources: [source(full: full)], cluster: full ? 3 : nil
        )
    }

    static func rejection(full: Bool) -> RejectionInfo {
        RejectionInfo(path: "drop/blob.txt", position: full ? 3 : nil, reason: "not text", time: "2025-09-25T08:00:00Z")
    }

    static let problem = StatsReply.Problem(
        key: "commit", message: "commits fail: database or disk is full", since: "2025-09-25T08:00:00Z")

    static func stats(full: Bool) -> StatsReply {
        StatsReply(
            articles: 5, files: 6, rejected: 1, queued: 0, storeBytes: 4096, uptimeSeconds: 12.5,
            lastIngest: full ? "2025-09-25T08:00:00Z" : nil, dropFolder: "/srv/drop",
            store: "/var/lib/akhbar/akhbar.sqlite",
            status: "5 articles, 0 queued, 1 rejected, 2 watches, watching /srv/drop",
            problems: full ? [problem] : nil, watches: full ? 2 : nil
        )
    }

    static func watch(full: Bool) -> WatchInfo {
        WatchInfo(
            name: "libya", query: "ليبيا -رياضة", note: full ? "desk" : nil, created: "2025-09-25T08:00:00Z",
            matches: 3, lastMatch: full ? "2025-09-26T08:00:00Z" : nil)
    }

    static func match(full: Bool) -> WatchMatch {
        WatchMatch(
            cursor: 12, watch: "libya", article: summary(full: full), snippet: "ليبيا",
            highlights: [Highlight(start: 0, end: 5)], copy: full ? true : nil,
            matched: full ? "2025-09-26T08:00:00Z" : nil)
    }
}
