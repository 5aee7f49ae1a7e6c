import AkhbarStore

extension IngestItem {
    /// About how many bytes the item holds and its commit writes: the UTF-8 text of its articles'
    /// titles, bodies and originals, their analysis, and the dropped bytes kept whole. Paths and
    /// reasons are small beside that and count as their text.
    var byteCount: Int {
        switch self {
        case .parsed(let path, _, let file):
            file.items.reduce(path.utf8.count + file.keptByteCount) { total, item in
                switch item.content {
                case .article(let prepared):
                    let article = prepared.article
                    return total + article.title.utf8.count + article.body.utf8.count + article.original.utf8.count
                        + prepared.analyzedByteCount
                case .rejected(let reason):
                    return total + reason.utf8.count
                }
            }
        case .rejected(let path, _, let reason):
            path.utf8.count + reason.utf8.count
        case .gone(let path, _):
            path.utf8.count
        }
    }
}
