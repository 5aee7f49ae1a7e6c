/// What one drop file yields: its articles, each at a position inside the file.
///
/// A single-article file has one item at position 0. A JSON array yields one item per element
/// (position = index); a JSON Lines file one per non-blank line (position = 1-based line number).
/// An item that cannot be read becomes a rejection at its position while the others are kept.
public struct DropFile: Sendable {
    public struct Item: Sendable {
        public var position: Int
        public var content: Content

        public init(position: Int, content: Content) {
            self.position = position
            self.content = content
        }
    }

    public enum Content: Sendable {
        case article(Article)
        case rejected(reason: String)
    }

    public var items: [Item]

    public init(items: [Item]) {
        self.items = items
    }
}

/// Why a whole drop file was not ingested.
public struct DropFileRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
