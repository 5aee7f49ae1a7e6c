/// `io.akhbar.Articles`: search, read and follow the articles Akhbar has ingested.
public enum ArticlesInterface {
    public static let name = "io.akhbar.Articles"

    /// Method names, fully qualified.
    public enum Method: String, CaseIterable, Sendable {
        case search = "io.akhbar.Articles.Search"
        case get = "io.akhbar.Articles.Get"
        case getFile = "io.akhbar.Articles.GetFile"
        case recent = "io.akhbar.Articles.Recent"
        case stats = "io.akhbar.Articles.Stats"
        case rejections = "io.akhbar.Articles.Rejections"
        case subscribe = "io.akhbar.Articles.Subscribe"
        case rescan = "io.akhbar.Articles.Rescan"
        case similar = "io.akhbar.Articles.Similar"
        case export = "io.akhbar.Articles.Export"
        case addWatch = "io.akhbar.Articles.AddWatch"
        case removeWatch = "io.akhbar.Articles.RemoveWatch"
        case listWatches = "io.akhbar.Articles.ListWatches"
        case watchMatches = "io.akhbar.Articles.WatchMatches"
        case testWatch = "io.akhbar.Articles.TestWatch"
        case followWatches = "io.akhbar.Articles.FollowWatches"
        case acknowledge = "io.akhbar.Articles.Acknowledge"
        case count = "io.akhbar.Articles.Count"
        case terms = "io.akhbar.Articles.Terms"
    }

    /// The interface description returned by `org.varlink.service.GetInterfaceDescription`.
    public static let description = """
        # Akhbar indexes the news articles dropped into a watched folder.
        # Search them, read them in full and follow new arrivals.
        interface io.akhbar.Articles

        # Where an article was found: a drop file, and its position inside the file
        # (0 for a single-article file, the index in a JSON array, the line of a JSON Lines file).
        # outlet, author, date and datePrecision are what this file states: copies of one text
        # can differ there when their line breaks do. size is the number of bytes the file was
        # dropped with (GetFile gives them); absent when they were not kept (sources ingested
        # before the store kept them).
        type Source (
          path: string,
          position: int,
          gone: bool,
          firstSeen: string,
          outlet: ?string,
          author: ?string,
          date: ?string,
          datePrecision: ?string,
          size: ?int
        )

        # A match: where in the text the query words are, as [start, end) offsets
        # counted in Unicode scalars.
        type Highlight (start: int, end: int)

        # date is the publication date; for an article that states none, it is the day the
        # article was ingested and dateIsIngest is true.
        type Hit (
          id: int,
          title: string,
          outlet: ?string,
          date: ?string,
          dateIsIngest: ?bool,
          path: ?string,
          score: float,
          snippet: string,
          highlights: []Highlight,
          duplicates: ?int
        )

        type Summary (
          id: int,
          title: string,
          outlet: ?string,
          date: ?string,
          path: ?string,
          ingested: string
        )

        type Article (
          id: int,
          title: string,
          titleDerived: bool,
          outlet: ?string,
          section: ?string,
          author: ?string,
          date: ?string,
          datePrecision: ?string,
          place: ?string,
          agency: ?string,
          url: ?string,
          body: string,
          original: string,
          extraFields: ?string,
          ingested: string,
          updated: string,
          sources: []Source,
          cluster: ?int,
          # true when the file held a headline and no article text: body is empty.
          headlineOnly: ?bool
        )

        type Rejection (
          path: string,
          position: ?int,
          reason: string,
          time: string
        )

        # A condition that keeps the daemon from its work. key is stable while it lasts:
        # commit, drop-folder, reload, reconcile, query-server or watch:PATH. since is when
        # it began (ISO 8601).
        type Problem (
          key: string,
          message: string,
          since: string
        )

        # Full-text search. Words must all match unless too few articles have them all;
        # "exact phrase", -exclude, prefix*, title:, outlet: and author: (any source's) are
        # understood. since and until are ISO dates (YYYY-MM-DD) compared with the publication date,
        # or the ingest date where the article states none. Near-duplicates (the same story
        # re-crawled or lightly edited) fold into their best hit, with their number in
        # duplicates, unless collapse is false. With partial false, only articles with every
        # word are returned, as a watch matches them. limit is 1 to 1000 (default 20) and offset
        # 0 to 10000 (default 0); a number outside its range is an InvalidParameter error.
        method Search(
          query: string,
          limit: ?int,
          offset: ?int,
          since: ?string,
          until: ?string,
          collapse: ?bool,
          partial: ?bool
        ) -> (hits: []Hit)

        # One article in full, with its original text and every path it came from.
        method Get(id: int) -> (article: Article)

        # The file a source of an article was dropped as, byte for byte, in base64: source
        # counts from 1 in the order Get lists the sources. The whole file, also when it holds
        # other articles (a JSON array, JSON Lines).
        method GetFile(id: int, source: int) -> (source: Source, data: string)

        # The most recently ingested articles, newest first. limit is 1 to 10000 (default 20);
        # outside that range it is an InvalidParameter error.
        method Recent(limit: ?int) -> (articles: []Summary)

        method Stats() -> (
          articles: int,
          files: int,
          rejected: int,
          queued: int,
          storeBytes: int,
          uptimeSeconds: float,
          lastIngest: ?string,
          dropFolder: string,
          store: string,
          status: string,
          # What keeps the daemon from its work, oldest first, until the cause is gone.
          problems: ?[]Problem,
          # How many watches are saved.
          watches: ?int
        )

        # Files and articles that could not be ingested, newest first. limit is 1 to 100000
        # (default 100); outside that range it is an InvalidParameter error.
        method Rejections(limit: ?int) -> (rejections: []Rejection)

        # Call with more: one reply per article as soon as it is committed, until the
        # connection closes. With after (an article id, 0 or more), every article with a
        # higher id comes first, oldest first, then the new ones: none twice, none left out.
        # Ids are never reused, so the highest id a subscriber saw resumes it where it stopped;
        # articles with lower ids that change meanwhile are not sent again.
        # A subscriber that falls 10000 articles behind gets a last reply without article:
        # missed is how many it was not sent, and calling again with after = resumeAfter
        # delivers them.
        method Subscribe(after: ?int) -> (article: ?Summary, missed: ?int, resumeAfter: ?int)

        # The near-duplicate cluster of an article, the article itself included.
        method Similar(id: int) -> (articles: []Summary)

        # Call with more: every article in full, oldest first, one reply each; the last reply
        # carries no article.
        method Export() -> (article: ?Article)

        # Walk the whole drop folder again and queue every file whose size, mtime or inode
        # differs from the store's record. Only root and the daemon's own user may call it.
        method Rescan() -> (queued: int)

        # A saved search. matches counts stories: an article whose near-duplicate the watch
        # had already matched is a copy and is not counted. Times are ISO 8601.
        type Watch (
          name: string,
          query: string,
          note: ?string,
          created: string,
          matches: int,
          lastMatch: ?string
        )

        # One article a watch matched. cursor numbers matches in commit order and is never
        # given twice; copy is true when the watch had already matched a near-duplicate.
        type WatchMatch (
          cursor: int,
          watch: string,
          article: Summary,
          snippet: string,
          highlights: []Highlight,
          copy: ?bool,
          matched: ?string
        )

        # Save a search. From then on every committed article is matched against it, in the
        # transaction that stores the article, exactly as Search would return it with the
        # same query: every word in some form (the partial-match fallback of Search, which
        # only fills a short page, does not apply). name holds letters, digits, '-', '_'
        # and '.' (at most 64); note at most 1000 characters; a store holds at most 100000
        # watches. An invalid query is an InvalidQuery error, as Search gives.
        method AddWatch(name: string, query: string, note: ?string) -> (watch: Watch)

        # Delete a watch and its matches.
        method RemoveWatch(name: string) -> ()

        # Every watch, by name.
        method ListWatches() -> (watches: []Watch)

        # A watch's latest matches, newest first; copies only with allCopies. limit is 1 to
        # 1000 (default 20).
        method WatchMatches(name: string, limit: ?int, allCopies: ?bool) -> (matches: []WatchMatch)

        # What a watch with this query would have matched among the latest articles (latest,
        # 1 to 1000000, default 1000), newest first; the matches carry no cursor (0) and no
        # watch name, no matched time. limit is 1 to 1000 (default 20).
        method TestWatch(query: string, latest: ?int, limit: ?int) -> (matches: []WatchMatch)

        # Call with more: the matches of the named watches (all when watches is null or
        # empty), oldest first, one reply each, as soon as they are committed, until the
        # connection closes. With after, every match with a higher cursor is replayed first;
        # with consumer and no after, the replay starts just past the cursor that consumer
        # last acknowledged; with neither, only new matches come. Copies (near-duplicates of
        # a story the watch already matched) only with allCopies.
        method FollowWatches(
          watches: ?[]string,
          after: ?int,
          consumer: ?string,
          allCopies: ?bool
        ) -> (match: WatchMatch)

        # Record that a named consumer has written out every match up to cursor. The
        # daemon keeps it in the store; it never moves back.
        method Acknowledge(consumer: string, cursor: int) -> ()

        # A group of articles: a period, an outlet, an author or a place (null for articles
        # without one); stories counts near-duplicate clusters once.
        type CountBucket (key: ?string, articles: int, stories: int)

        # How many articles match a query (empty: every article), grouped by day, week (the
        # Monday that starts it), month, outlet, author or place. Matching is that of Search
        # with partial false. Periods go by publication date, and articles that state none are
        # counted in undated instead, unless byIngest groups every article by the day it was
        # ingested; periods between the first and last (or since and until) come without holes,
        # empty ones as 0. Outlets, authors and places come largest first, limit of them
        # (1 to 10000, default 20), the rest summed in others; articles without one are the
        # bucket with a null key (an article counts under its first source's outlet and
        # author). outlet and author keep only articles with exactly that value in any source.
        method Count(
          query: ?string,
          by: string,
          since: ?string,
          until: ?string,
          outlet: ?string,
          author: ?string,
          limit: ?int,
          byIngest: ?bool
        ) -> (buckets: []CountBucket, total: int, stories: int, undated: int, others: int)

        # A word (words: 1, every inflection counted together) or a two-word phrase (words: 2)
        # as the matching articles most often write it; count of the analyzed matching articles
        # and archive of all articles have it; score is its log-likelihood (G2).
        type SignificantTerm (text: string, words: int, count: int, archive: int, score: float)

        # The words and two-word phrases that the articles a query matches (as Count matches)
        # use more than the rest of the archive, most significant first: limit of them (1 to
        # 500, default 30), phrases unless phrases is false. Stopwords, single letters and
        # numbers are left out; a term must be in 3 analyzed articles (2 when fewer than 50 are
        # analyzed) and significant at 0.1 % (score at least 10.83). At most 5000 matching
        # articles are analyzed, evenly spread over them. A query or a filter is required.
        method Terms(
          query: ?string,
          since: ?string,
          until: ?string,
          outlet: ?string,
          author: ?string,
          limit: ?int,
          phrases: ?bool
        ) -> (terms: []SignificantTerm, matched: int, analyzed: int, archive: int)

        error ArticleNotFound (id: int)
        # The article has fewer sources than the number asked for.
        error SourceNotFound (id: int, source: int, sources: int)
        # The source was ingested before the store kept the files' bytes.
        error FileNotKept (id: int, source: int)
        error WatchNotFound (name: string)
        error WatchExists (name: string)
        # A watch name, note or count outside its limits.
        error InvalidWatch (reason: string)
        error InvalidQuery (reason: string)
        error StoreUnavailable (reason: string)
        # The message was not a Varlink call, was over 1 MiB, or was not completed within
        # 5 seconds of its first byte; the connection is closed. A connection idle for
        # 10 minutes between calls is closed without a reply.
        error InvalidMessage (reason: string)
        # The daemon already serves as many connections as it may (1024, fewer when its
        # descriptor limit is low); it sends this instead of answering and closes the connection.
        error TooManyConnections ()

        """
}
