import ArgumentParser

/// A calendar day written `YYYY-MM-DD`, as `--since` and `--until` take it.
struct ISODate: ExpressibleByArgument, CustomStringConvertible {
    let description: String

    /// Nil unless the text is a real day of the proleptic Gregorian calendar, so a typo such as
    /// 2025-02-30 is a usage error rather than a search that silently finds nothing.
    init?(argument: String) {
        let parts = argument.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...Self.days(inMonth: month, of: year)).contains(day)
        else { return nil }
        description = argument
    }

    private static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
