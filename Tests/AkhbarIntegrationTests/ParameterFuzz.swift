import AkhbarProtocol
import Foundation
import Glibc
import Testing

/// Parameters no client should send, for every method of the socket: what
/// ``InProcessParameterFuzzTests`` calls the daemon with.
enum ParameterFuzz {
    /// A JSON value to put where a parameter goes, and whether it is a whole number the daemon may take.
    struct Value {
        var json: String
        var integer: Int64?

        init(_ json: String, integer: Int64? = nil) {
            self.json = json
            self.integer = integer
        }
    }

    static let hostileValues: [Value] = [
        Value("0", integer: 0), Value("-1", integer: -1), Value("1", integer: 1), Value("3", integer: 3),
        Value("\(Int64.min)", integer: .min), Value("\(Int64.max)", integer: .max),
        Value("9223372036854775000", integer: 9_223_372_036_854_775_000), Value("9223372036854775808"),
        Value("-9223372036854775809"), Value("1e308"), Value("-1e308"), Value("1e400"), Value("1.5"), Value("-0.0"),
        Value("4.9e-324"), Value(#""12""#), Value(#""""#), Value(#""ليبيا""#), Value(#""\u0000""#), Value("null"),
        Value("true"), Value("false"), Value("[]"), Value("{}"), Value("[1,2,3]"), Value(#"{"a":{"b":[null]}}"#),
        Value(String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)),
        Value(String(repeating: #"{"a":"#, count: 50_000) + "1" + String(repeating: "}", count: 50_000)),
        Value("\"" + String(repeating: "ع", count: 200_000) + "\""),
    ]

    /// The methods and the parameters each declares.
    static let methods: [(name: String, parameters: [String])] = [
        (
            ArticlesInterface.Method.search.rawValue,
            ["query", "limit", "offset", "since", "until", "collapse", "partial"]
        ),
        (ArticlesInterface.Method.get.rawValue, ["id"]),
        (ArticlesInterface.Method.getFile.rawValue, ["id", "source"]),
        (ArticlesInterface.Method.recent.rawValue, ["limit"]),
        (ArticlesInterface.Method.stats.rawValue, []),
        (ArticlesInterface.Method.rejections.rawValue, ["limit"]),
        (ArticlesInterface.Method.subscribe.rawValue, ["after"]),
        (ArticlesInterface.Method.rescan.rawValue, []),
        (ArticlesInterface.Method.similar.rawValue, ["id"]),
        (ArticlesInterface.Method.export.rawValue, []),
        (ArticlesInterface.Method.addWatch.rawValue, ["name", "query", "note"]),
        (ArticlesInterface.Method.removeWatch.rawValue, ["name"]),
        (ArticlesInterface.Method.listWatches.rawValue, []),
        (ArticlesInterface.Method.watchMatches.rawValue, ["name", "limit", "allCopies"]),
        (ArticlesInterface.Method.testWatch.rawValue, ["query", "latest", "limit"]),
        (ArticlesInterface.Method.followWatches.rawValue, ["watches", "after", "consumer", "allCopies"]),
        (ArticlesInterface.Method.acknowledge.rawValue, ["consumer", "cursor"]),
        (
            ArticlesInterface.Method.count.rawValue,
            ["query", "by", "since", "until", "outlet", "author", "limit", "byIngest"]
        ),
        (
            ArticlesInterface.Method.terms.rawValue,
            ["query", "since", "until", "outlet", "author", "limit", "phrases"]
        ),
        ("org.varlink.service.GetInfo", []),
        ("org.varlink.service.GetInterfaceDescription", ["interface"]),
    ]

    /// One call to send, and whether the daemon may rightly stay silent: a subscription with nothing
    /// to replay waits for new articles, a follower of watches for new matches.
    struct Case {
        var message: String
        var maySayNothing: Bool
    }

    static let casesPerMethod = 60

    static func cases(seed: UInt64) -> [Case] {
        var random = SplitMix64(seed: seed)
        var cases: [Case] = []
        #expect(Set(methods.map(\.name)).isSuperset(of: ArticlesInterface.Method.allCases.map(\.rawValue)))
        for (method, names) in methods {
            for index in 0..<casesPerMethod {
                var fields: [String] = []
                var after: Value? = nil
                let parameters: String
                switch index % 6 {
                case 0:
                    // Not an object at all.
                    parameters = hostileValues[random.next(below: hostileValues.count)].json
                case 1:
                    parameters = "{}"
                default:
                    for name in names where random.next(below: 3) > 0 {
                        let value = hostileValues[random.next(below: hostileValues.count)]
                        if name == "after" { after = value }
                        fields.append("\"\(name)\":\(value.json)")
                    }
                    if index % 6 == 5 || names.isEmpty {
                        fields.append(
                            "\"unknown\(index)\":\(hostileValues[random.next(below: hostileValues.count)].json)")
                    }
                    parameters = "{" + fields.joined(separator: ",") + "}"
                }
                let more = random.next(below: 2) == 0
                var envelope = ["\"method\":\"\(method)\""]
                if index % 6 != 1 || random.next(below: 2) == 0 { envelope.append("\"parameters\":\(parameters)") }
                if more { envelope.append("\"more\":true") }
                if random.next(below: 8) == 0 {
                    envelope.append("\"extra\":\(hostileValues[random.next(below: hostileValues.count)].json)")
                }
                // A subscription with more and a valid cursor (or none) past the last article has
                // nothing to say until an article arrives; one before it replays at once.
                let subscribes = method == ArticlesInterface.Method.subscribe.rawValue && more
                let cursorPastEnd = after == nil || after?.json == "null" || (after?.integer).map { $0 >= 5 } == true
                let parametersAreObject =
                    parameters.hasPrefix("{") || !envelope.contains { $0.hasPrefix("\"parameters\"") }
                    || parameters == "null"
                // Following watches with nothing ingested has no match to send until one arrives.
                let follows = method == ArticlesInterface.Method.followWatches.rawValue && more
                cases.append(
                    Case(
                        message: "{" + envelope.joined(separator: ",") + "}",
                        maySayNothing: (subscribes && cursorPastEnd || follows) && parametersAreObject))
            }
        }
        return cases
    }
}

/// A small, fast, seeded generator, so that every run sends the same calls.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(below bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}
