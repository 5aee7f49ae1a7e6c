import ArabicText

extension ArticleCondition {
    /// Whether one article satisfies the condition, decided as ``ArticleFilter``'s SQL decides it:
    /// `day` is the article's date cut to ten characters, or the day it was ingested (UTC); `place`
    /// its dateline's place as query analysis splits it into words.
    func holds(day: String, place: [Substring]?) -> Bool {
        switch self {
        case .date(let range, let negated):
            let first = range.first ?? "0000-01-01"
            let last = range.last ?? "9999-12-31"
            // SQLite compares text byte by byte.
            let inside =
                !day.utf8.lexicographicallyPrecedes(first.utf8) && !last.utf8.lexicographicallyPrecedes(day.utf8)
            return inside != negated
        case .place(let wanted, let negated):
            guard let place else { return negated }
            let words = wanted.normalized.split(separator: " ")
            let found =
                place.count >= words.count
                && (0...(place.count - words.count)).contains { start in
                    place[start..<(start + words.count)].elementsEqual(words)
                }
            return found != negated
        }
    }
}
