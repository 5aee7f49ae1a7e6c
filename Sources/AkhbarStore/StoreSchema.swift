import GRDB

/// The store's tables, created and evolved by migrations.
///
/// - `article`: one row per distinct content (the archive: rows are never deleted; an id is never
///   given twice, even after a crash lost the newest rows); `original` is TEXT, or a BLOB when
///   compressed (see ``StoredText``).
/// - `source`: where each article was seen, a (path, position) pair; `gone` once the file is; the
///   bytes it was dropped with, as a ``RawForm`` of the article's original or a `raw_file`.
/// - `raw_file`: dropped files kept whole (see ``RawFile``), each distinct content once.
/// - `source_meta`: a source's own outlet, author and date where they differ from its article's.
/// - `file`: the drop files as last seen (inode, size, mtime), so a restart re-reads only what changed.
/// - `rejection`: what could not be ingested and why, until the file changes or goes.
/// - `simhash_band`: the four 16-bit bands of each article's SimHash, to find near-duplicates.
/// - `article_fts`: FTS5 over title, body, outlet and author (every source's), kept in step by
///   ``FullTextEntry``.
/// - `source_shown`: an article's sources, present before gone, oldest first: the path a hit shows.
/// - `article_lookup`: the small columns of `article` by id, for queries that must not read bodies
///   (named with `INDEXED BY`: SQLite would rather use the table's own key).
/// - `watch`: saved searches, with their tallies as last written (see ``WatchTallies``);
///   `match_set`: the watches each article matched, one ``MatchSet`` a batch, numbered in commit
///   order (the cursor); `match_state`: the next cursor, and the one the tallies account for;
///   `watch_consumer`: the cursor each named consumer of matches has acknowledged.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE article (
                        id INTEGER PRIMARY KEY,
                        contentHash TEXT NOT NULL UNIQUE,
                        title TEXT NOT NULL,
                        titleDerived BOOLEAN NOT NULL DEFAULT 0,
                        body TEXT NOT NULL,
                        outlet TEXT,
                        section TEXT,
                        author TEXT,
                        date TEXT,
                        datePrecision TEXT,
                        place TEXT,
                        agency TEXT,
                        url TEXT,
                        extraFields TEXT,
                        original TEXT NOT NULL,
                        ingestedAt REAL NOT NULL,
                        updatedAt REAL NOT NULL
                    );
                    CREATE INDEX article_updatedAt ON article(updatedAt);
                    CREATE INDEX article_date ON article(date);

                    CREATE TABLE source (
                        path TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        articleId INTEGER NOT NULL REFERENCES article(id),
                        firstSeen REAL NOT NULL,
                        gone BOOLEAN NOT NULL DEFAULT 0,
                        PRIMARY KEY (path, position)
                    ) WITHOUT ROWID;
                    CREATE INDEX source_articleId ON source(articleId);

                    CREATE TABLE file (
                        path TEXT PRIMARY KEY,
                        inode INTEGER NOT NULL,
                        size INTEGER NOT NULL,
                        mtime INTEGER NOT NULL,
                        seenAt REAL NOT NULL
                    ) WITHOUT ROWID;

                    CREATE TABLE rejection (
                        path TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        reason TEXT NOT NULL,
                        at REAL NOT NULL,
                        PRIMARY KEY (path, position)
                    ) WITHOUT ROWID;
                    CREATE INDEX rejection_at ON rejection(at);

                    CREATE VIRTUAL TABLE article_fts USING fts5(
                        title, body, outlet, author,
                        content='article', content_rowid='id', tokenize='akhbar'
                    );
                    CREATE TRIGGER article_fts_insert AFTER INSERT ON article BEGIN
                        INSERT INTO article_fts(rowid, title, body, outlet, author)
                        VALUES (new.id, new.title, new.body, new.outlet, new.author);
                    END;
                    CREATE TRIGGER article_fts_update AFTER UPDATE OF title, body, outlet, author ON article BEGIN
                        INSERT INTO article_fts(article_fts, rowid, title, body, outlet, author)
                        VALUES ('delete', old.id, old.title, old.body, old.outlet, old.author);
                        INSERT INTO article_fts(rowid, title, body, outlet, author)
                        VALUES (new.id, new.title, new.body, new.outlet, new.author);
                    END;
                    """)
        }
        migrator.registerMigration("v2 near-duplicate clusters") { db in
            try db.execute(
                sql: """
                    ALTER TABLE article ADD COLUMN simhash INTEGER;
                    -- The id of the cluster's first article; NULL for that first article itself.
                    ALTER TABLE article ADD COLUMN clusterId INTEGER;
                    CREATE INDEX article_clusterId ON article(clusterId);
                    CREATE TABLE simhash_band (
                        band INTEGER NOT NULL,
                        value INTEGER NOT NULL,
                        articleId INTEGER NOT NULL REFERENCES article(id),
                        PRIMARY KEY (band, value, articleId)
                    ) WITHOUT ROWID;
                    CREATE INDEX simhash_band_articleId ON simhash_band(articleId);
                    """)
        }
        migrator.registerMigration("v3 index written by the store") { db in
            // See FullTextEntry: the triggers made FTS5 write a segment per article.
            try db.execute(
                sql: """
                    DROP TRIGGER article_fts_insert;
                    DROP TRIGGER article_fts_update;
                    """)
        }
        migrator.registerMigration("v4 fewer index merges") { db in
            // A bulk ingest's writer spent much of its time merging segments, more so as the archive
            // grew. Merging eight segments at a time instead of four rewrites each entry fewer times,
            // and an 8 MB buffer of pending terms (1 MB by default) writes a batch of files as one
            // segment instead of several. 200,000 articles: 1,351 → 1,541 articles/s, 200 → 175
            // CPU seconds, peak RSS 137 → 150 MB. The idle merge leaves one segment either way.
            try db.execute(
                sql: """
                    INSERT INTO article_fts(article_fts, rank) VALUES ('automerge', 8);
                    INSERT INTO article_fts(article_fts, rank) VALUES ('hashsize', 8388608);
                    """)
        }
        migrator.registerMigration("v5 article lookups without bodies") { db in
            // `clusterId`, `simhash` and `date` come after the body and the original in the row, so
            // reading one of them walks the row's overflow pages. A search looks up the cluster of
            // each ranked match, a date filter reads every match's date, and an ingest reads the
            // SimHash of up to 256 near-duplicate candidates: this index answers them all.
            try db.execute(sql: "CREATE INDEX article_lookup ON article(id, clusterId, simhash, date, ingestedAt)")
        }
        migrator.registerMigration("v6 sources in the order shown") { db in
            // Every hit shows its article's first present source: with `gone` and `firstSeen` in the
            // index, that is one index search instead of a search, a row lookup for each source and
            // a sort (a page of ten hits: 225 → 170 µs). The old index's column leads this one.
            try db.execute(
                sql: """
                    DROP INDEX source_articleId;
                    CREATE INDEX source_shown ON source(articleId, gone, firstSeen);
                    """)
        }
        migrator.registerMigration("v7 article ids never reused") { db in
            // A plain INTEGER PRIMARY KEY gives a new row the highest id plus one, so an article lost
            // with the tail of the log (power lost before a sync) had its id given again to another
            // one, and a client holding that id (a cursor, a watch, a link) got a different article.
            // AUTOINCREMENT remembers the highest id ever given in sqlite_sequence. SQLite cannot add
            // it to a table: the table is rebuilt with the same ids, which are the rowids the index's
            // external content (`content_rowid='id'`) points at, so the index stays valid as it is.
            // Foreign keys are off while GRDB migrates and checked when it is done. Copying the rows
            // already counts their highest id in sqlite_sequence (and the rename carries it over);
            // it is set again here so that it is there once, and there for an empty table too.
            let columns = """
                id, contentHash, title, titleDerived, body, outlet, section, author, date, datePrecision,
                place, agency, url, extraFields, original, ingestedAt, updatedAt, simhash, clusterId
                """
            try db.execute(
                sql: """
                    CREATE TABLE article_new (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        contentHash TEXT NOT NULL UNIQUE,
                        title TEXT NOT NULL,
                        titleDerived BOOLEAN NOT NULL DEFAULT 0,
                        body TEXT NOT NULL,
                        outlet TEXT,
                        section TEXT,
                        author TEXT,
                        date TEXT,
                        datePrecision TEXT,
                        place TEXT,
                        agency TEXT,
                        url TEXT,
                        extraFields TEXT,
                        original TEXT NOT NULL,
                        ingestedAt REAL NOT NULL,
                        updatedAt REAL NOT NULL,
                        simhash INTEGER,
                        -- The id of the cluster's first article; NULL for that first article itself.
                        clusterId INTEGER
                    );
                    INSERT INTO article_new (\(columns)) SELECT \(columns) FROM article;
                    DROP TABLE article;
                    ALTER TABLE article_new RENAME TO article;
                    CREATE INDEX article_updatedAt ON article(updatedAt);
                    CREATE INDEX article_date ON article(date);
                    CREATE INDEX article_clusterId ON article(clusterId);
                    CREATE INDEX article_lookup ON article(id, clusterId, simhash, date, ingestedAt);
                    DELETE FROM sqlite_sequence WHERE name = 'article';
                    INSERT INTO sqlite_sequence (name, seq) SELECT 'article', coalesce(max(id), 0) FROM article;
                    """)
        }
        migrator.registerMigration("v8 places looked up") { db in
            // `place:` compares the archive's distinct places with the one asked for: read from this
            // index, not from every article's row.
            try db.execute(sql: "CREATE INDEX article_place ON article(place)")
        }
        migrator.registerMigration("v9 watches") { db in
            // Matches are numbered by an AUTOINCREMENT key, so a cursor never points at a number given
            // again, even after the newest matches were lost with their batch or a watch was removed.
            try db.execute(
                sql: """
                    CREATE TABLE watch (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL UNIQUE,
                        query TEXT NOT NULL,
                        note TEXT,
                        createdAt REAL NOT NULL,
                        -- Stories matched (copies not counted), and the newest match.
                        matchCount INTEGER NOT NULL DEFAULT 0,
                        lastSeq INTEGER,
                        lastMatchAt REAL
                    );
                    -- No index leads with the watch: with thousands of watches each batch would
                    -- rewrite thousands of its pages. A watch's matches are a chain instead, from
                    -- watch.lastSeq back through previous.
                    CREATE TABLE watch_match (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        watchId INTEGER NOT NULL,
                        articleId INTEGER NOT NULL,
                        -- When an earlier match of the same watch is a near-duplicate (same cluster).
                        isCopy BOOLEAN NOT NULL,
                        at REAL NOT NULL,
                        -- The same watch's match before this one.
                        previous INTEGER
                    );
                    -- Article first: matches arrive in article order, so this index grows at its end.
                    CREATE UNIQUE INDEX watch_match_article ON watch_match(articleId, watchId);
                    CREATE TABLE watch_consumer (
                        name TEXT PRIMARY KEY,
                        cursor INTEGER NOT NULL,
                        updatedAt REAL NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v10 exact copies are the same text") { db in
            // Articles were the same when their parsed title and body were: a file with one more
            // line (an outlet, a byline) was folded into the article it repeated, and its line was
            // stored nowhere. Each article is now known by its original text; of two articles with
            // the same text, new copies join the first.
            let rows = try Row.fetchCursor(db, sql: "SELECT id, original FROM article ORDER BY id")
            var keys: [(id: Int64, hash: String)] = []
            var taken = Set<String>()
            while let row = try rows.next() {
                let hash = ContentHash.of(text: StoredText.text(from: row["original"]))
                if taken.insert(hash).inserted { keys.append((row["id"], hash)) }
            }
            // Cleared first, so that no new key meets an old one still in place; a key no hash
            // can equal stays with the later articles of one text.
            try db.execute(sql: "UPDATE article SET contentHash = 'v9:' || id")
            let update = try db.makeStatement(sql: "UPDATE article SET contentHash = ? WHERE id = ?")
            for key in keys { try update.execute(arguments: [key.hash, key.id]) }
        }
        migrator.registerMigration("v11 every source's own bytes and metadata") { db in
            // A copy of an article (the same text, whitespace aside) may come in other bytes (another
            // encoding, other line ends, a JSON Lines file of many articles) and, when its line breaks
            // differ, parse to another outlet, author or date. Each source now keeps both. The files
            // recorded before are marked changed, so that the next start reads those still in the
            // drop folder again and keeps them (their articles are the same text and stay as they
            // are); the bytes of files already gone were never kept (`rawForm` and `rawFile` NULL).
            try db.execute(
                sql: """
                    -- How the dropped bytes follow from the article's original (RawForm bits), or
                    -- the raw_file that holds them whole.
                    ALTER TABLE source ADD COLUMN rawForm INTEGER;
                    ALTER TABLE source ADD COLUMN rawFile INTEGER REFERENCES raw_file(id);
                    CREATE INDEX source_rawFile ON source(rawFile) WHERE rawFile IS NOT NULL;
                    CREATE TABLE raw_file (
                        id INTEGER PRIMARY KEY,
                        hash TEXT NOT NULL UNIQUE,
                        size INTEGER NOT NULL,
                        bytes BLOB NOT NULL,
                        compressed BOOLEAN NOT NULL
                    );
                    -- A source's own metadata, only where it differs from its article's.
                    CREATE TABLE source_meta (
                        path TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        articleId INTEGER NOT NULL REFERENCES article(id),
                        outlet TEXT,
                        author TEXT,
                        date TEXT,
                        datePrecision TEXT,
                        PRIMARY KEY (path, position)
                    ) WITHOUT ROWID;
                    CREATE INDEX source_meta_articleId ON source_meta(articleId);
                    CREATE INDEX source_meta_outlet ON source_meta(outlet);
                    CREATE INDEX source_meta_author ON source_meta(author);
                    UPDATE file SET mtime = -1;
                    """)
        }
        migrator.registerMigration("v12 an article's matches in one row") { db in
            // A row and an index entry for every match cost the writer most of a bulk ingest with
            // thousands of watches; an article's matches are now packed into one row (MatchSet),
            // each keeping the cursor it had.
            try db.execute(
                sql: """
                    CREATE TABLE match_set (
                        cursor INTEGER PRIMARY KEY,
                        articleId INTEGER NOT NULL,
                        at REAL NOT NULL,
                        matches BLOB NOT NULL
                    );
                    CREATE INDEX match_set_article ON match_set(articleId);
                    CREATE TABLE match_state (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        next INTEGER NOT NULL,
                        tallied INTEGER NOT NULL
                    );
                    """)
            // Old matches of one article in one batch have consecutive cursors: one set. A gap (a
            // removed watch's match) or another article starts the next.
            var set: MatchSet?
            func flush() throws {
                guard let done = set else { return }
                try db.execute(
                    sql: "INSERT INTO match_set(cursor, articleId, at, matches) VALUES (?, ?, ?, ?)",
                    arguments: [done.cursor, done.article, done.at, done.packed])
                set = nil
            }
            let rows = try Row.fetchCursor(
                db, sql: "SELECT seq, watchId, articleId, isCopy, at, previous FROM watch_match ORDER BY seq")
            while let row = try rows.next() {
                let (seq, article, at): (Int64, Int64, Double) = (row[0], row[2], row[4])
                if let open = set, open.article != article || open.at != at || open.end != seq { try flush() }
                if set == nil { set = MatchSet(cursor: seq, article: article, at: at, entries: []) }
                set?.entries.append(MatchSet.Entry(watch: row[1], isCopy: row[3], previous: row[5]))
            }
            try flush()
            // Cursors go on from the highest ever given, as the old table's AUTOINCREMENT did.
            let given =
                try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'watch_match'") ?? 0
            try db.execute(
                sql: "INSERT INTO match_state(id, next, tallied) VALUES (1, ?, ?)", arguments: [given + 1, given + 1])
            try db.execute(sql: "DROP TABLE watch_match")
        }
        return migrator
    }
}
