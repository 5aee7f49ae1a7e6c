import Articles

/// What identifies a drop file's version without reading it: a restart re-reads only files whose
/// stamp changed.
public struct FileStamp: Sendable, Hashable {
    public var inode: UInt64
    public var size: Int64
    /// Modification time in nanoseconds since the epoch.
    public var mtime: Int64

    public init(inode: UInt64, size: Int64, mtime: Int64) {
        self.inode = inode
        self.size = size
        self.mtime = mtime
    }
}

/// One change to apply to the store; a batch of them is committed in one transaction.
public enum IngestItem: Sendable {
    /// A file was read: its articles (and per-position rejections).
    case parsed(path: String, stamp: FileStamp, file: PreparedFile)
    /// A file whose content cannot be ingested at all (open and read failures are retried instead).
    case rejected(path: String, stamp: FileStamp, reason: String)
    /// A file, or every file under a folder when `tree` is set, left the drop folder.
    case gone(path: String, tree: Bool)
}

/// What a committed batch changed.
public struct IngestResult: Sendable {
    /// Articles that were created or whose text changed, for subscribers.
    public var changed: [Int64] { fresh.map(\.id) }
    /// The article ids each parsed file now holds, for the log.
    public var articles: [String: [Int64]] = [:]
    /// The highest watch-match cursor the batch wrote, or nil when it matched no watch.
    public var lastMatch: Int64?
    /// The articles created or changed, as parsed: what watches are matched against.
    var fresh: [FreshArticle] = []
    /// Articles whose full-text entry was rewritten for a source's names, their text unchanged.
    var reindexed: Set<Int64> = []
    public init() {}
}

/// An article a batch created or changed, with what matching watches needs to know of it.
struct FreshArticle: Sendable {
    var id: Int64
    var article: PreparedArticle
    /// The near-duplicate cluster it joined when it was created; nil for an article changed in place,
    /// whose cluster may have members.
    var newCluster: Int64?
}
