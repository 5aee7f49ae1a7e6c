/// One piece of query text: an operator, a parenthesis, or a term with what is glued in front of it.
struct QueryToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case open
        case close
        case or
        case and
        case not
        /// `NEAR` or `NEAR/N` between two terms.
        case near(distance: Int?)
        /// `NEAR(`: the parenthesis is part of the token.
        case nearGroup
        case comma
        /// A run of text outside quotes, its trailing stars removed.
        case text(String, isPrefix: Bool)
        /// Text in quotes, with a star or a `~N` glued after the closing quote.
        case quoted(String, isPrefix: Bool, distance: Int?)
        case date(String)
        case place(String)
    }

    enum Sign: Sendable, Hashable {
        case minus, plus
    }

    var kind: Kind
    var sign: Sign?
    var field: QueryField?
    /// Offset of the token's first character (its sign, if any), in Unicode scalars.
    var position: Int
}

/// Splits query text into ``QueryToken``s. Keywords are recognized only in capitals and standing alone,
/// so that any other text, Arabic or not, is a word.
struct QueryLexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    static let closingQuotes: [Unicode.Scalar: Unicode.Scalar] = ["\"": "\"", "«": "»", "“": "”"]

    /// Characters that end a run of text: a word never contains them.
    static func isBoundary(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar == "(" || scalar == ")" || scalar == "|" || scalar == ","
            || closingQuotes[scalar] != nil
    }

    /// Field names that may be glued before a term, with a colon.
    private enum Prefix: String {
        case title, outlet, author, date, place
    }

    mutating func tokens() throws(InvalidQuery) -> [QueryToken] {
        var result: [QueryToken] = []
        while let token = try next() { result.append(token) }
        return result
    }

    private mutating func next() throws(InvalidQuery) -> QueryToken? {
        while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
        guard index < scalars.count else { return nil }
        let start = index
        func token(_ kind: QueryToken.Kind, sign: QueryToken.Sign? = nil, field: QueryField? = nil) -> QueryToken {
            QueryToken(kind: kind, sign: sign, field: field, position: start)
        }
        let punctuation: [Unicode.Scalar: QueryToken.Kind] = ["(": .open, ")": .close, "|": .or, ",": .comma]
        if let kind = punctuation[scalars[index]] {
            index += 1
            return token(kind)
        }

        var sign: QueryToken.Sign?
        if scalars[index] == "-" || scalars[index] == "+", index + 1 < scalars.count, startsTerm(scalars[index + 1]) {
            sign = scalars[index] == "-" ? .minus : .plus
            index += 1
            // Further signs are punctuation the analyzer would drop anyway.
            while index + 1 < scalars.count, scalars[index] == "-" || scalars[index] == "+",
                startsTerm(scalars[index + 1])
            {
                index += 1
            }
        }
        var field: QueryField?
        if let (prefix, end) = prefix(at: index) {
            let valueStart = end
            index = end
            switch prefix {
            case .date:
                let value = run()
                guard !value.isEmpty else {
                    throw InvalidQuery(
                        reason: "date: needs a day, a month, a year or a range, as in date:2015-07", position: start)
                }
                return token(.date(value), sign: sign)
            case .place:
                let value: String
                if index < scalars.count, let closing = Self.closingQuotes[scalars[index]] {
                    value = try quoted(closing: closing)
                } else {
                    value = run()
                }
                guard !value.isEmpty else {
                    throw InvalidQuery(reason: "place: needs a place name, as in place:طرابلس", position: start)
                }
                return token(.place(value), sign: sign)
            case .title, .outlet, .author:
                field = QueryField(rawValue: prefix.rawValue)
                guard valueStart < scalars.count, startsTerm(scalars[valueStart]) || scalars[valueStart] == "(" else {
                    throw InvalidQuery(
                        reason: "\(prefix.rawValue): needs a word, a \"phrase\" or a (group) right after the colon",
                        position: start)
                }
            }
        }

        if let closing = Self.closingQuotes[scalars[index]] {
            let text = try quoted(closing: closing)
            var isPrefix = false
            if index < scalars.count, scalars[index] == "*" {
                isPrefix = true
                index += 1
            }
            var distance: Int?
            if index < scalars.count, scalars[index] == "~" {
                let tilde = index
                index += 1
                distance = try number(
                    orThrow: "~ after a phrase takes a distance in words, as in \"المجلس الرئاسي\"~5", at: tilde)
            }
            return token(.quoted(text, isPrefix: isPrefix, distance: distance), sign: sign, field: field)
        }
        if scalars[index] == "(" {
            index += 1
            return token(.open, sign: sign, field: field)
        }

        let word = run()
        if word == "NEAR", index < scalars.count, scalars[index] == "(" {
            index += 1
            return token(.nearGroup, sign: sign, field: field)
        }
        if sign == nil, field == nil {
            switch word {
            case "OR": return token(.or)
            case "AND": return token(.and)
            case "NOT": return token(.not)
            case "NEAR": return token(.near(distance: nil))
            default: break
            }
            if word.hasPrefix("NEAR/") {
                let digits = String(word.dropFirst(5))
                guard let distance = Self.distance(digits) else {
                    throw InvalidQuery(
                        reason: "NEAR/ takes a distance in words up to \(Query.maximumDistance), as in NEAR/5",
                        position: start)
                }
                return token(.near(distance: distance))
            }
        }
        var text = Substring(word)
        var isPrefix = false
        while text.hasSuffix("*") {
            text = text.dropLast()
            isPrefix = true
        }
        return token(.text(String(text), isPrefix: isPrefix), sign: sign, field: field)
    }

    /// Whether a sign glued before this character applies to a term.
    private func startsTerm(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "(" || Self.closingQuotes[scalar] != nil || !Self.isBoundary(scalar)
    }

    private func prefix(at start: Int) -> (Prefix, Int)? {
        var end = start
        while end < scalars.count, scalars[end].isASCII, scalars[end].properties.isAlphabetic { end += 1 }
        guard end > start, end < scalars.count, scalars[end] == ":",
            let prefix = Prefix(rawValue: String(String.UnicodeScalarView(scalars[start..<end])).lowercased())
        else { return nil }
        return (prefix, end + 1)
    }

    /// Text up to the next boundary.
    private mutating func run() -> String {
        let start = index
        while index < scalars.count, !Self.isBoundary(scalars[index]) { index += 1 }
        return String(String.UnicodeScalarView(scalars[start..<index]))
    }

    /// The text between the opening quote at `index` and `closing`, moving past the closing quote.
    private mutating func quoted(closing: Unicode.Scalar) throws(InvalidQuery) -> String {
        let opening = index
        index += 1
        let start = index
        while index < scalars.count, scalars[index] != closing { index += 1 }
        guard index < scalars.count else {
            throw InvalidQuery(reason: "this quote is never closed", position: opening)
        }
        defer { index += 1 }
        return String(String.UnicodeScalarView(scalars[start..<index]))
    }

    private mutating func number(orThrow reason: String, at position: Int) throws(InvalidQuery) -> Int {
        let start = index
        while index < scalars.count, Self.digit(scalars[index]) != nil { index += 1 }
        guard let value = Self.distance(String(String.UnicodeScalarView(scalars[start..<index]))) else {
            throw InvalidQuery(reason: reason, position: position)
        }
        return value
    }

    /// A digit's value: ASCII, Arabic-Indic or Eastern Arabic-Indic.
    static func digit(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar.value {
        case 0x30...0x39: Int(scalar.value - 0x30)
        case 0x660...0x669: Int(scalar.value - 0x660)
        case 0x6F0...0x6F9: Int(scalar.value - 0x6F0)
        default: nil
        }
    }

    /// A proximity distance written in digits, within ``Query/maximumDistance``.
    static func distance(_ text: String) -> Int? {
        guard !text.isEmpty, text.unicodeScalars.count <= 6 else { return nil }
        var value = 0
        for scalar in text.unicodeScalars {
            guard let digit = digit(scalar) else { return nil }
            value = value * 10 + digit
        }
        return value <= Query.maximumDistance ? value : nil
    }
}
