import ArgumentParser

/// A calendar day written `YYYY-MM-DD`, as `--since` and `--until` take it.
struct ISODate: ExpressibleByArgument, CustomStringConvertible {
    let description: String

    init?(argument: String) {
        let parts = argument.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        description = argument
    }
}
