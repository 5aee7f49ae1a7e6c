import AkhbarProtocol
import ArgumentParser

/// A command that asks the daemon for a list and prints it, one item a line: `recent`, `rejected`,
/// `similar`. Only the call and the line differ between them.
protocol ListCommand: ParsableCommand {
    associatedtype Parameters: Codable & Sendable
    associatedtype Reply: Codable & Sendable
    associatedtype Item: Encodable

    static var method: ArticlesInterface.Method { get }
    /// The range `-n` must lie in, for commands that take one.
    static var limits: ClosedRange<Int>? { get }
    /// The `-n` given, for commands that take one.
    var limit: Int? { get }
    var parameters: Parameters { get }
    var json: Bool { get }
    var global: GlobalOptions { get }
    static func items(of reply: Reply) -> [Item]
    static func line(terminal: Terminal) -> (Item) -> String
}

extension ListCommand {
    static var limits: ClosedRange<Int>? { nil }
    var limit: Int? { nil }

    func validate() throws {
        guard let limits = Self.limits, let limit else { return }
        guard limits.contains(limit) else {
            throw ValidationError("-n must be \(limits.lowerBound) to \(limits.upperBound).")
        }
    }

    func run() throws {
        let reply = try global.connect().call(Self.method, parameters, returning: Reply.self)
        try Output(json: json).list(Self.items(of: reply), line: Self.line(terminal:))
    }
}
