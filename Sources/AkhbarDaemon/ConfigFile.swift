import Foundation

/// The daemon's config file, in the format documented at the top of `deploy/akhbard.conf`:
/// `key = value` lines; blank lines and lines starting with `#` ignored; values unquoted and
/// running to the end of the line; each key at most once.
public struct ConfigFile: Sendable, Hashable {
    /// The keys are the long flag names.
    public static let keys: Set<String> = ["drop", "store", "socket", "log-level", "max-file-size", "drop-grace"]

    public var values: [String: String]

    public init(values: [String: String]) {
        self.values = values
    }

    /// Reads and checks a config file; errors name the file and line.
    public init(path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DaemonError("cannot read \(path): \(error.localizedDescription)")
        }
        try self.init(parsing: text, name: path)
    }

    public init(parsing text: String, name: String) throws {
        var values: [String: String] = [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let place = "\(name):\(number + 1)"
            guard let equals = line.firstIndex(of: "=") else {
                throw DaemonError("\(place): expected `key = value`, found `\(line)`")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard Self.keys.contains(key) else {
                throw DaemonError(
                    "\(place): unknown setting `\(key)` (known: \(Self.keys.sorted().joined(separator: ", ")))")
            }
            guard values[key] == nil else { throw DaemonError("\(place): `\(key)` is set twice") }
            guard !value.isEmpty else { throw DaemonError("\(place): `\(key)` has no value") }
            if key == "max-file-size", Self.size(value) == nil {
                throw DaemonError(
                    "\(place): max-file-size must be a number of bytes, optionally with K, M or G, not `\(value)`")
            }
            if key == "drop-grace", Self.seconds(value) == nil {
                throw DaemonError("\(place): drop-grace must be a whole number of seconds, not `\(value)`")
            }
            values[key] = value
        }
        self.values = values
    }

    /// A duration from a whole number of seconds, 0 to a day; nil when malformed or out of range.
    public static func seconds(_ text: String) -> Duration? {
        guard let seconds = Int(text), (0...86_400).contains(seconds) else { return nil }
        return .seconds(seconds)
    }

    /// Bytes from `123`, `512K`, `10M` or `1G` (powers of 1024); nil when malformed or not positive.
    public static func size(_ text: String) -> Int? {
        let multipliers: [Character: Int] = [
            "K": 1 << 10, "k": 1 << 10, "M": 1 << 20, "m": 1 << 20, "G": 1 << 30, "g": 1 << 30,
        ]
        var digits = Substring(text)
        var multiplier = 1
        if let last = text.last, let factor = multipliers[last] {
            multiplier = factor
            digits = digits.dropLast()
        }
        guard let number = Int(digits), number > 0 else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : bytes
    }
}
