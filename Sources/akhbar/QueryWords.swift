import ArgumentParser

/// The words of a query given on the command line, collected with unrecognized options so that
/// `-exclude` works.
struct QueryWords {
    let arguments: [String]

    /// The query: `--` ends options and is not itself a word.
    var query: String {
        var words = arguments
        if let terminator = words.firstIndex(of: "--") { words.remove(at: terminator) }
        return words.joined(separator: " ")
    }

    /// Refuses a mistyped `--flag`, which must not silently become a query word, and an empty query.
    func validate(missing: String) throws {
        if let unknown = arguments.prefix(while: { $0 != "--" }).first(where: { $0.hasPrefix("--") }) {
            throw ValidationError("Unknown option '\(unknown)'. To search for it, put it after `--`.")
        }
        if query.isEmpty { throw ValidationError(missing) }
    }
}
