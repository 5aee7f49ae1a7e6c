/// Parses what a person typed into a ``Query``, analyzing every word as documents are analyzed.
///
/// The language, loosest binding first:
/// - `a OR b`, `a | b`: either.
/// - `a b`, `a AND b`: both.
/// - `NOT a`, `-a`: not (only beside a condition that is not negated); `+a`: required, as a bare word is.
/// - `a NEAR/5 b`, `NEAR(a b, 5)`, `"a b"~5`: within 5 words of each other (10 when no distance is given).
/// - `(…)` groups; `"…"`, `«…»`, `“…”` are phrases; `word*` and `"a phrase"*` are prefixes.
/// - `title:`, `outlet:`, `author:` before a word, phrase, `NEAR(…)` or group limit it to that field;
///   `place:طرابلس` and `date:2015-07`, `date:2015-07-01..2015-07-15`, `date:2016..` filter whole articles.
///
/// Anything else is text: a word the analyzer splits into several terms (عبدالرازق, `x:y`) is a phrase.
public struct QueryParser: Sendable {
    let analyzer: ArabicAnalyzer

    public init(analyzer: ArabicAnalyzer) {
        self.analyzer = analyzer
    }

    public func parse(_ text: String) throws(InvalidQuery) -> Query {
        let length = text.unicodeScalars.count
        if length > Query.maximumLength {
            throw InvalidQuery(
                reason: "the query is \(length) characters long; at most \(Query.maximumLength) are allowed")
        }
        var lexer = QueryLexer(text)
        var state = State(tokens: try lexer.tokens(), analyzer: analyzer)
        if state.tokens.isEmpty { throw InvalidQuery(reason: "the query has no words") }
        let root = try state.parseOr(depth: 0).node
        if let stray = state.peek {
            throw state.unexpected(stray)
        }
        guard let root else { throw InvalidQuery(reason: "the query has no searchable words") }
        let terms = Self.termCount(root)
        if terms > Query.maximumTerms {
            throw InvalidQuery(
                reason: "the query has \(terms) words and phrases; at most \(Query.maximumTerms) are allowed")
        }
        try Self.validate(root, place: .top)
        return Query(root: root)
    }

    private static func termCount(_ node: QueryNode) -> Int {
        switch node {
        case .word, .phrase: 1
        case .near(let members, _, _): members.count
        case .and(let children), .or(let children): children.reduce(0) { $0 + termCount($1) }
        case .not(let child): termCount(child)
        case .date, .place: 0
        }
    }

    /// Where a node stands, for the rules that depend on it.
    private enum Place {
        /// The whole query.
        case top
        /// A conjunct of the whole query (or a negated one).
        case topConjunct
        case inside
    }

    /// Exclusions only narrow a conjunction that has something to find; dates and places only filter
    /// the whole query.
    private static func validate(_ node: QueryNode, place: Place) throws(InvalidQuery) {
        switch node {
        case .word, .phrase, .near: break
        case .date, .place:
            if place == .inside {
                throw InvalidQuery(
                    reason: "date: and place: filter the whole query; they cannot stand inside OR, NOT ( … ) or a field"
                )
            }
        case .not(let child):
            switch place {
            case .top: throw InvalidQuery(reason: "the query only excludes; add a word to search for")
            case .inside, .topConjunct: break
            }
            switch child {
            case .date, .place: try validate(child, place: place)
            default: try validate(child, place: .inside)
            }
        case .and(let children):
            if children.allSatisfy({ if case .not = $0 { true } else { false } }) {
                throw InvalidQuery(reason: "the query only excludes; add a word to search for")
            }
            for child in children {
                try validate(child, place: place == .top ? .topConjunct : .inside)
            }
        case .or(let children):
            for child in children {
                if case .not = child {
                    throw InvalidQuery(
                        reason:
                            "an exclusion cannot be one side of OR; exclude outside it, as in (طرابلس OR مصراتة) -سرت")
                }
                try validate(child, place: .inside)
            }
        }
    }

    /// The parser's position in the tokens, with the recursive descent over them.
    private struct State {
        let tokens: [QueryToken]
        let analyzer: ArabicAnalyzer
        var index = 0

        init(tokens: [QueryToken], analyzer: ArabicAnalyzer) {
            self.tokens = tokens
            self.analyzer = analyzer
        }

        var peek: QueryToken? { index < tokens.count ? tokens[index] : nil }

        mutating func advance() -> QueryToken {
            defer { index += 1 }
            return tokens[index]
        }

        /// Whether a token can start a condition.
        static func startsCondition(_ token: QueryToken?) -> Bool {
            switch token?.kind {
            case .open?, .not?, .nearGroup?, .text?, .quoted?, .date?, .place?: true
            default: false
            }
        }

        func unexpected(_ token: QueryToken) -> InvalidQuery {
            switch token.kind {
            case .close: InvalidQuery(reason: "this parenthesis closes nothing", position: token.position)
            case .comma:
                InvalidQuery(reason: "a comma belongs inside NEAR(…), before its distance", position: token.position)
            default: InvalidQuery(reason: "unexpected here", position: token.position)
            }
        }

        /// A result and whether any token was read for it (a condition can analyze to nothing).
        typealias Parsed = (node: QueryNode?, consumed: Bool)

        mutating func parseOr(depth: Int) throws(InvalidQuery) -> Parsed {
            let first = try parseAnd(depth: depth)
            var items = first.node.map { [$0] } ?? []
            var consumed = first.consumed
            while let token = peek, token.kind == .or {
                _ = advance()
                guard consumed, Self.startsCondition(peek) else {
                    throw InvalidQuery(reason: "OR needs a condition on each side", position: token.position)
                }
                if let node = try parseAnd(depth: depth).node { items.append(node) }
                consumed = true
            }
            return (Self.combine(items, or: true), consumed)
        }

        mutating func parseAnd(depth: Int) throws(InvalidQuery) -> Parsed {
            var items: [QueryNode] = []
            var consumed = false
            while let token = peek {
                switch token.kind {
                case .and:
                    _ = advance()
                    guard consumed, Self.startsCondition(peek) else {
                        throw InvalidQuery(reason: "AND needs a condition on each side", position: token.position)
                    }
                case .comma:
                    // Outside NEAR(…) a comma only separates words.
                    _ = advance()
                    continue
                case .near:
                    throw InvalidQuery(reason: "NEAR needs a word or a phrase on each side", position: token.position)
                default:
                    guard Self.startsCondition(token) else { return (Self.combine(items, or: false), consumed) }
                }
                if let node = try parseUnary(depth: depth) { items.append(node) }
                consumed = true
            }
            return (Self.combine(items, or: false), consumed)
        }

        mutating func parseUnary(depth: Int) throws(InvalidQuery) -> QueryNode? {
            guard let token = peek, token.kind == .not else { return try parseNearChain(depth: depth) }
            _ = advance()
            guard Self.startsCondition(peek) else {
                throw InvalidQuery(reason: "NOT needs a condition after it", position: token.position)
            }
            try Self.checkDepth(depth + 1, at: token)
            return try parseUnary(depth: depth + 1).map(Self.negated)
        }

        /// Terms joined by `NEAR` or `NEAR/N`, or a single condition.
        mutating func parseNearChain(depth: Int) throws(InvalidQuery) -> QueryNode? {
            let firstToken = advance()
            let first = try parsePrimary(firstToken, depth: depth)
            guard let operatorToken = peek, case .near(let written) = operatorToken.kind else { return first }
            let distance = written ?? Query.defaultDistance
            var members: [QueryNode] = []
            func add(_ node: QueryNode?, from token: QueryToken) throws(InvalidQuery) {
                guard let node else { return }
                switch node {
                case .word, .phrase: members.append(node)
                default:
                    throw InvalidQuery(
                        reason:
                            "NEAR joins words and phrases; for more, use NEAR(a b c, 5) or group with OR outside it",
                        position: token.position)
                }
            }
            try add(first, from: firstToken)
            while let token = peek, case .near(let next) = token.kind {
                _ = advance()
                if (next ?? Query.defaultDistance) != distance {
                    throw InvalidQuery(reason: "one chain of NEAR takes one distance", position: token.position)
                }
                guard let memberToken = peek, Self.isTerm(memberToken) else {
                    throw InvalidQuery(reason: "NEAR needs a word or a phrase on each side", position: token.position)
                }
                try add(try parsePrimary(advance(), depth: depth), from: memberToken)
            }
            return Self.near(members, distance: distance, field: nil)
        }

        static func isTerm(_ token: QueryToken) -> Bool {
            switch token.kind {
            case .text, .quoted: true
            default: false
            }
        }

        mutating func parsePrimary(_ token: QueryToken, depth: Int) throws(InvalidQuery) -> QueryNode? {
            var node: QueryNode?
            switch token.kind {
            case .open:
                try Self.checkDepth(depth + 1, at: token)
                node = try parseOr(depth: depth + 1).node
                guard let close = peek, close.kind == .close else {
                    throw InvalidQuery(reason: "this parenthesis is never closed", position: token.position)
                }
                _ = advance()
                if let field = token.field, let inner = node { node = try Self.applying(field, to: inner, at: token) }
            case .nearGroup:
                node = try parseNearGroup(token)
            case .text(let text, let isPrefix):
                node = term(text, isPrefix: isPrefix, field: token.field)
            case .quoted(let text, let isPrefix, let distance):
                if let distance {
                    let members = text.split(whereSeparator: \.isWhitespace).compactMap { piece in
                        term(String(piece), isPrefix: false, field: nil, normalizedTyped: true)
                    }
                    var adjusted = members
                    if isPrefix, let last = adjusted.popLast() {
                        adjusted.append(Self.prefixed(last, analyzer: analyzer))
                    }
                    node = Self.near(adjusted, distance: distance, field: token.field)
                } else {
                    node = phrase(text, isPrefix: isPrefix, field: token.field)
                }
            case .date(let value):
                node = .date(try DateRange(parsing: value, at: token.position))
            case .place(let value):
                let normalized = Self.terms(value, analyzer: analyzer).joined(separator: " ")
                guard !normalized.isEmpty else {
                    throw InvalidQuery(
                        reason: "place: needs a place name, as in place:طرابلس", position: token.position)
                }
                node = .place(QueryPlace(typed: value, normalized: normalized))
            default:
                throw unexpected(token)
            }
            if token.sign == .minus { node = node.map(Self.negated) }
            return node
        }

        /// `NEAR(a "b c" d, 5)`, the opening token already read.
        mutating func parseNearGroup(_ open: QueryToken) throws(InvalidQuery) -> QueryNode? {
            var members: [QueryNode] = []
            var distance = Query.defaultDistance
            var written = 0
            let usage = "NEAR(…) takes words and phrases, then a comma and a distance: NEAR(المجلس الجيش, 5)"
            while true {
                guard let token = peek else {
                    throw InvalidQuery(reason: "this NEAR( is never closed", position: open.position)
                }
                _ = advance()
                switch token.kind {
                case .close:
                    if members.count < 2 && written > 0 {
                        throw InvalidQuery(
                            reason: "NEAR(…) needs two or more words or phrases", position: open.position)
                    }
                    return Self.near(members, distance: distance, field: open.field)
                case .comma:
                    guard let number = peek, case .text(let digits, false) = number.kind, number.sign == nil,
                        number.field == nil,
                        let value = QueryLexer.distance(digits)
                    else {
                        throw InvalidQuery(
                            reason: "the distance after the comma is a number of words up to \(Query.maximumDistance)",
                            position: token.position)
                    }
                    distance = value
                    _ = advance()
                    guard let close = peek, close.kind == .close else {
                        throw InvalidQuery(reason: "this NEAR( is never closed", position: open.position)
                    }
                case .text(let text, let isPrefix) where token.sign != .minus:
                    written += 1
                    if let node = term(text, isPrefix: isPrefix, field: token.field) { members.append(node) }
                case .quoted(let text, let isPrefix, nil) where token.sign != .minus:
                    written += 1
                    if let node = phrase(text, isPrefix: isPrefix, field: token.field) { members.append(node) }
                default:
                    throw InvalidQuery(reason: usage, position: token.position)
                }
            }
        }

        /// A word as typed outside quotes: a word, or a phrase when the analyzer finds several terms in it.
        /// `normalizedTyped` records the terms as typed, for a word cut out of a longer text.
        func term(_ text: String, isPrefix: Bool, field: QueryField?, normalizedTyped: Bool = false) -> QueryNode? {
            let terms = Self.terms(text, analyzer: analyzer)
            guard let first = terms.first else { return nil }
            let typed = normalizedTyped ? terms.joined(separator: " ") : text
            if terms.count > 1 {
                return .phrase(QueryPhrase(typed: typed, terms: terms, field: field, isPrefix: isPrefix))
            }
            let forms = isPrefix ? WordForms(literal: first) : WordForms(analyzing: first, analyzer: analyzer)
            return .word(QueryWord(typed: typed, field: field, isPrefix: isPrefix, forms: forms))
        }

        func phrase(_ text: String, isPrefix: Bool, field: QueryField?) -> QueryNode? {
            let terms = Self.terms(text, analyzer: analyzer)
            guard !terms.isEmpty else { return nil }
            return .phrase(QueryPhrase(typed: text, terms: terms, field: field, isPrefix: isPrefix))
        }

        /// The index terms of some typed text. A stem marker typed is punctuation: users cannot write
        /// stem terms.
        static func terms(_ text: String, analyzer: ArabicAnalyzer) -> [String] {
            var scalars = String.UnicodeScalarView()
            for scalar in text.unicodeScalars {
                scalars.append(scalar == ArabicAnalyzer.stemMarker ? " " : scalar)
            }
            return analyzer.terms(in: String(scalars), mode: .query).map(\.term)
        }

        static func prefixed(_ node: QueryNode, analyzer: ArabicAnalyzer) -> QueryNode {
            switch node {
            case .word(var word):
                word.isPrefix = true
                word.forms = WordForms(literal: word.forms.literal)
                return .word(word)
            case .phrase(var phrase):
                phrase.isPrefix = true
                return .phrase(phrase)
            default: return node
            }
        }

        static func near(_ members: [QueryNode], distance: Int, field: QueryField?) -> QueryNode? {
            guard members.count > 1 else {
                guard let only = members.first, let field else { return members.first }
                return withField(field, only)
            }
            return .near(members, distance: distance, field: field)
        }

        static func withField(_ field: QueryField, _ node: QueryNode) -> QueryNode {
            switch node {
            case .word(var word):
                if word.field == nil { word.field = field }
                return .word(word)
            case .phrase(var phrase):
                if phrase.field == nil { phrase.field = field }
                return .phrase(phrase)
            case .near(let members, let distance, let own):
                return .near(members, distance: distance, field: own ?? field)
            case .and(let children): return .and(children.map { withField(field, $0) })
            case .or(let children): return .or(children.map { withField(field, $0) })
            case .not(let child): return .not(withField(field, child))
            case .date, .place: return node
            }
        }

        /// A field before a group applies to every word in it that has none of its own.
        static func applying(_ field: QueryField, to node: QueryNode, at token: QueryToken) throws(InvalidQuery)
            -> QueryNode
        {
            if contains(node, where: { if case .date = $0 { true } else if case .place = $0 { true } else { false } }) {
                throw InvalidQuery(
                    reason: "\(field.rawValue): cannot apply to date: or place:", position: token.position)
            }
            return withField(field, node)
        }

        static func contains(_ node: QueryNode, where predicate: (QueryNode) -> Bool) -> Bool {
            if predicate(node) { return true }
            switch node {
            case .and(let children), .or(let children): return children.contains { contains($0, where: predicate) }
            case .not(let child): return contains(child, where: predicate)
            default: return false
            }
        }

        static func negated(_ node: QueryNode) -> QueryNode {
            if case .not(let inner) = node { return inner }
            return .not(node)
        }

        /// `and` or `or` of the items, nested ones of the same kind flattened, a single item alone.
        static func combine(_ items: [QueryNode], or: Bool) -> QueryNode? {
            var flat: [QueryNode] = []
            for item in items {
                switch item {
                case .and(let children) where !or: flat += children
                case .or(let children) where or: flat += children
                default: flat.append(item)
                }
            }
            guard flat.count > 1 else { return flat.first }
            return or ? .or(flat) : .and(flat)
        }

        static func checkDepth(_ depth: Int, at token: QueryToken) throws(InvalidQuery) {
            if depth > Query.maximumDepth {
                throw InvalidQuery(
                    reason: "the query nests deeper than \(Query.maximumDepth) levels", position: token.position)
            }
        }
    }
}

extension WordForms {
    /// The forms of a query term (normalized, as the analyzer emits it in query mode): the word with
    /// other common proclitics, its stem as a stem term and as a word, and the other readings of its
    /// affixes. A word other than the one typed is kept only if it reads back as exactly itself, or the
    /// index would be asked for something else; duplicates are dropped.
    init(analyzing literal: String, analyzer: ArabicAnalyzer) {
        let marker = String(ArabicAnalyzer.stemMarker)
        var seen: Set<String> = [literal]
        func keep(_ terms: [String]) -> [String] {
            terms.filter { term in
                guard seen.insert(term).inserted else { return false }
                return term.hasPrefix(marker) || analyzer.terms(in: term, mode: .query).map(\.term) == [term]
            }
        }
        let stem = analyzer.stem(literal)
        let prefixed = keep(analyzer.prefixedForms(of: literal))
        let stems = keep([marker + stem] + (stem == literal ? [] : [stem]))
        let more = analyzer.inflectionAlternatives(of: literal)
        let inflections = keep(more.stems.map { marker + $0 } + more.words)
        self.init(
            literal: literal, prefixed: prefixed, stems: stems, inflections: inflections,
            isStopword: Stopwords.contains(literal))
    }
}
