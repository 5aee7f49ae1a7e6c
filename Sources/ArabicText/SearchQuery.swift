/// A user's search, parsed by Akhbar itself so that no input can reach FTS5 as syntax.
///
/// Understands plain words, `"exact phrases"` (also «…» and “…”), `-excluded` words or phrases,
/// `prefix*`, and the field filters `title:`, `outlet:` and `author:` before a word or phrase.
/// Every other character is just text: it either belongs to a word or separates words.
public struct SearchQuery: Sendable, Hashable {
    /// The columns a clause can be limited to.
    public enum Field: String, Sendable, Hashable, CaseIterable {
        case title, outlet, author
    }

    /// One word or phrase the user asked for (or against).
    public struct Clause: Sendable, Hashable {
        /// What the user typed for it, without quotes, sign, field or star.
        public var text: String
        public var isPhrase: Bool
        public var isPrefix: Bool
        public var isExcluded: Bool
        public var field: Field?

        public init(text: String, isPhrase: Bool = false, isPrefix: Bool = false, isExcluded: Bool = false, field: Field? = nil) {
            self.text = text
            self.isPhrase = isPhrase
            self.isPrefix = isPrefix
            self.isExcluded = isExcluded
            self.field = field
        }
    }

    /// The clauses in the order typed.
    public var clauses: [Clause]

    /// Longest query accepted, in characters; far beyond any real search, short enough to keep the
    /// FTS5 expression small.
    public static let maximumLength = 1000
    /// Most clauses accepted in one query.
    public static let maximumClauses = 64
    /// Up to this many words, the relaxed expression lists each all-but-one combination; longer
    /// queries (whose expression that would square) fall back to any word.
    static let maximumRelaxedWords = 8

    /// Parses what the user typed. Throws when nothing searchable is left or the query is too large.
    public init(parsing text: String) throws(InvalidQuery) {
        let length = text.unicodeScalars.count
        if length > Self.maximumLength {
            throw InvalidQuery(reason: "the query is \(length) characters long; at most \(Self.maximumLength) are allowed")
        }
        clauses = Self.clauses(in: Array(text.unicodeScalars))
        if clauses.isEmpty { throw InvalidQuery(reason: "the query has no words") }
        if clauses.count > Self.maximumClauses {
            throw InvalidQuery(reason: "the query has \(clauses.count) words; at most \(Self.maximumClauses) are allowed")
        }
    }

    /// One phrase of a MATCH expression, with what the ranking function needs to know of it.
    public struct Phrase: Sendable, Hashable {
        /// The phrase as an FTS5 string (quoted, with `*` for a prefix).
        public var text: String
        /// The number of the clause (word, phrase, filter or exclusion) it stands for.
        public var clause: Int
        /// Whether it is one of the clause's exact forms (a quoted phrase, a prefix, a word as typed or
        /// with a common proclitic) rather than one of its other forms (stem, other inflections).
        public var isExact: Bool
        /// Whether a snippet marks where it occurs: it stands for a word searched for, not for a field
        /// filter or an exclusion.
        public var isMarked: Bool

        /// The phrase's terms as the index has them, and whether the last is a prefix.
        public var terms: (terms: [String], isPrefix: Bool) {
            let isPrefix = text.hasSuffix("*")
            // An FTS5 string: quoted, with a quote inside written twice.
            let quoted = isPrefix ? text.dropLast() : Substring(text)
            var inner = ""
            var afterQuote = false
            for character in quoted.dropFirst().dropLast() {
                if character == "\"", !afterQuote {
                    afterQuote = true
                    continue
                }
                afterQuote = false
                inner.append(character)
            }
            return (inner.split(separator: " ").map(String.init), isPrefix)
        }

        /// How the ranking function's argument names it: `E` or `S`, then the clause number.
        public var role: String { (isExact ? "E" : "S") + String(clause) }
    }

    /// An FTS5 MATCH expression with what the ranking function needs to know of its phrases.
    public struct Match: Sendable, Hashable {
        /// The expression for `MATCH`.
        public var expression: String { parts.map(\.text).joined() }
        /// The phrases of `expression`, in the order FTS5 numbers them.
        public var phrases: [Phrase] { parts.compactMap(\.phrase) }
        /// False when the query has nothing but very common words: every article has them, so a
        /// relevance score would only reward short articles; such a search lists the newest first.
        public var isRanked: Bool
        /// Clauses numbered below this must match (filters and words); those above are exclusions.
        public var requiredClauses: Int
        /// Whether an article may miss one of the words (the relaxed expression).
        public var isRelaxed: Bool
        private var parts: [Part]

        init(_ parts: [Part], isRanked: Bool, requiredClauses: Int, isRelaxed: Bool) {
            self.parts = parts
            self.isRanked = isRanked
            self.requiredClauses = requiredClauses
            self.isRelaxed = isRelaxed
        }

        /// The same match without the phrases `drop` says no article has (by their index in
        /// ``phrases``), and the indices of the phrases kept. A phrase goes only where it is one
        /// alternative of an `OR`, so what the expression matches is unchanged; FTS5 then neither
        /// looks the phrase up nor walks it for every matching article.
        public func pruned(_ drop: (Int) -> Bool) -> (match: Match, kept: [Int]) {
            var kept: [Part] = []
            var keptPhrases: [Int] = []
            var phraseIndex = 0
            var index = 0
            while index < parts.count {
                let part = parts[index]
                if part.phrase != nil {
                    defer { phraseIndex += 1 }
                    if drop(phraseIndex) {
                        // An alternative: an OR on either side of it, which goes with it.
                        if case .syntax(" OR ")? = kept.last {
                            kept.removeLast()
                            index += 1
                            continue
                        }
                        if index + 1 < parts.count, case .syntax(" OR ") = parts[index + 1] {
                            index += 2
                            continue
                        }
                    }
                    keptPhrases.append(phraseIndex)
                }
                kept.append(part)
                index += 1
            }
            return (Match(kept, isRanked: isRanked, requiredClauses: requiredClauses, isRelaxed: isRelaxed), keptPhrases)
        }
    }

    /// A piece of an expression being assembled: syntax, or one phrase.
    enum Part: Sendable, Hashable {
        case syntax(String)
        case phrase(Phrase)

        var text: String {
            switch self {
            case .syntax(let text): text
            case .phrase(let phrase): phrase.text
            }
        }

        var phrase: Phrase? {
            if case .phrase(let phrase) = self { phrase } else { nil }
        }
    }

    /// FTS5 MATCH expressions: `strict` requires every word; `relaxed`, when present, tolerates one
    /// missing word (any of the two for a two-word query), so one misspelled word never empties the
    /// result. Matching all but one word rather than any word keeps the relaxed set small and its
    /// articles relevant: any single common word would otherwise match most of the archive.
    ///
    /// Field filters and exclusions hold in both. Very common words (في، من، على …) are left out unless
    /// the query has nothing else, and then the newest articles come first (see ``Match/isRanked``).
    /// Each word matches its exact forms (the normalized word, with or without a common proclitic) or
    /// any word with the same stem; ranking (the store's `akhbar_rank`) counts both, the exact forms
    /// more. Phrases and prefixes match exact forms.
    /// The result is built only from quoted strings, parentheses, `AND`, `OR`, `NOT`, `*` and column
    /// filters over `title`, `body`, `outlet` and `author`, so it is always a valid FTS5 expression.
    public func matchExpressions(analyzer: ArabicAnalyzer) throws(InvalidQuery) -> (strict: Match, relaxed: Match?) {
        var words: [Compiled] = []
        var filters: [Compiled] = []
        var exclusions: [Compiled] = []
        for clause in clauses {
            guard let compiled = Compiled(clause, analyzer: analyzer) else { continue }
            if clause.isExcluded {
                exclusions.append(compiled)
            } else if clause.field != nil {
                filters.append(compiled)
            } else {
                words.append(compiled)
            }
        }
        if words.isEmpty && filters.isEmpty {
            if exclusions.isEmpty { throw InvalidQuery(reason: "the query has no searchable words") }
            throw InvalidQuery(reason: "the query only excludes words; add a word to search for")
        }
        let meaningful = words.filter { !$0.isStopword }
        if !meaningful.isEmpty { words = meaningful }

        // Clause numbers for the ranking function: filters, then words, then exclusions.
        let filterParts = filters.enumerated().map { $1.parts(clause: $0) }
        let wordParts = words.enumerated().map { $1.parts(clause: filters.count + $0) }
        let exclusionParts = exclusions.enumerated().map { $1.parts(clause: filters.count + words.count + $0) }
        func joined(_ groups: [[Part]], _ separator: String) -> [Part] {
            var result: [Part] = [.syntax("(")]
            for (index, group) in groups.enumerated() {
                if index > 0 { result.append(.syntax(separator)) }
                result += group
            }
            return result + [.syntax(")")]
        }
        let excluded = exclusionParts.isEmpty ? [] : [Part.syntax(" NOT ")] + joined(exclusionParts, " OR ")
        let required = filters.count + words.count
        let strict = Match(
            joined(filterParts + wordParts, " AND ") + excluded, isRanked: !meaningful.isEmpty || !filters.isEmpty,
            requiredClauses: required, isRelaxed: false)
        guard words.count > 1 else { return (strict, nil) }
        let tolerant: [Part]
        if words.count == 2 || words.count > Self.maximumRelaxedWords {
            tolerant = joined(wordParts, " OR ")
        } else {
            let allButOne = wordParts.indices.map { skipped in
                joined(wordParts.indices.filter { $0 != skipped }.map { wordParts[$0] }, " AND ")
            }
            tolerant = joined(allButOne, " OR ")
        }
        let relaxed = Match(
            joined(filterParts + [tolerant], " AND ") + excluded, isRanked: strict.isRanked, requiredClauses: required, isRelaxed: true)
        return (strict, relaxed)
    }

    /// A clause turned into FTS5 phrases.
    private struct Compiled {
        /// Quoted FTS5 strings (with `*` for a prefix), the exact forms first.
        var phrases: [String]
        /// How many of `phrases` are the word as typed (with or without a proclitic); the rest are its
        /// other inflections.
        var exactCount = 1
        var field: Field?
        var isExcluded: Bool
        var isStopword: Bool

        init?(_ clause: Clause, analyzer: ArabicAnalyzer) {
            let terms = analyzer.terms(in: SearchQuery.withoutStemMarker(clause.text), mode: .query).map(\.term)
            guard !terms.isEmpty else { return nil }
            isStopword = terms.count == 1 && !clause.isPhrase && !clause.isPrefix && Stopwords.contains(terms[0])
            field = clause.field
            isExcluded = clause.isExcluded
            if terms.count > 1 || clause.isPhrase || clause.isPrefix {
                phrases = [SearchQuery.quoted(terms.joined(separator: " ")) + (clause.isPrefix ? "*" : "")]
            } else {
                // Other inflections widen what a word finds; an exclusion or a field filter (a name, an
                // outlet) stays as narrow as the word and its stem.
                let inflections = !clause.isExcluded && clause.field == nil
                (phrases, exactCount) = SearchQuery.alternatives(for: terms[0], inflections: inflections, analyzer: analyzer)
            }
        }

        /// The clause as expression parts, its phrases marked as clause number `clause`.
        func parts(clause: Int) -> [Part] {
            var result: [Part] = []
            for (index, phrase) in phrases.enumerated() {
                if index > 0 { result.append(.syntax(" OR ")) }
                result.append(.phrase(Phrase(text: phrase, clause: clause, isExact: index < exactCount, isMarked: field == nil && !isExcluded)))
            }
            if phrases.count > 1 { result = [.syntax("(")] + result + [.syntax(")")] }
            if let field { result = [.syntax("{\(field.rawValue)} : (")] + result + [.syntax(")")] }
            return result
        }
    }

    /// A word's exact form and, when `inflections`, the same word with another proclitic
    /// (``ArabicAnalyzer/prefixedForms(of:)``): these are the exact forms, counted first. Then any word
    /// indexed with its stem, and its stem written as a word of its own (words that are their own stem
    /// are indexed without a stem term), and the other readings of the word's affixes
    /// (``ArabicAnalyzer/inflectionAlternatives(of:)``) when `inflections`. Duplicates are dropped, and
    /// a word other than the typed one is used only if it reads back as exactly itself, or FTS5 would
    /// search something else.
    private static func alternatives(
        for surface: String, inflections: Bool, analyzer: ArabicAnalyzer
    ) -> (phrases: [String], exactCount: Int) {
        let marker = String(ArabicAnalyzer.stemMarker)
        let stem = analyzer.stem(surface)
        let exact = [surface] + (inflections ? analyzer.prefixedForms(of: surface) : [])
        let more = inflections ? analyzer.inflectionAlternatives(of: surface) : (stems: [], words: [])
        var terms = exact + [marker + stem]
        if stem != surface { terms.append(stem) }
        terms += more.stems.map { marker + $0 }
        terms += more.words
        var seen = Set<String>()
        var options: [String] = []
        var exactCount = 0
        for (index, term) in terms.enumerated() where seen.insert(term).inserted {
            let isExtraWord = index > 0 && !term.hasPrefix(marker)
            if isExtraWord, analyzer.terms(in: term, mode: .query).map(\.term) != [term] { continue }
            options.append(quoted(term))
            if index < exact.count { exactCount += 1 }
        }
        return (options, exactCount)
    }

    /// An FTS5 string: the only special character inside one is the double quote, written twice.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            result.append(character == "\"" ? "\"\"" : String(character))
        }
        return result + "\""
    }

    /// The user cannot write stem terms: a marker they type is just punctuation.
    private static func withoutStemMarker(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(scalar == ArabicAnalyzer.stemMarker ? " " : scalar)
        }
        return String(scalars)
    }

    private static let openingQuotes: [Unicode.Scalar: Unicode.Scalar] = ["\"": "\"", "«": "»", "“": "”"]

    /// Splits the query into clauses. Never fails: unmatched quotes run to the end, and signs, fields and
    /// stars in other places are left to the analyzer, which treats them as separators.
    private static func clauses(in scalars: [Unicode.Scalar]) -> [Clause] {
        var result: [Clause] = []
        var index = 0
        func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isWhitespace }
        while index < scalars.count {
            if isSpace(scalars[index]) {
                index += 1
                continue
            }
            var clause = Clause(text: "")
            if scalars[index] == "-" || scalars[index] == "+", index + 1 < scalars.count, !isSpace(scalars[index + 1]) {
                clause.isExcluded = scalars[index] == "-"
                index += 1
            }
            if let (field, end) = field(in: scalars, at: index) {
                clause.field = field
                index = end
            }
            if index < scalars.count, let closing = openingQuotes[scalars[index]] {
                clause.isPhrase = true
                index += 1
                let start = index
                while index < scalars.count && scalars[index] != closing { index += 1 }
                clause.text = String(String.UnicodeScalarView(scalars[start..<index]))
                index += 1
                if index < scalars.count && scalars[index] == "*" {
                    clause.isPrefix = true
                    index += 1
                }
            } else {
                let start = index
                while index < scalars.count && !isSpace(scalars[index]) && openingQuotes[scalars[index]] == nil {
                    index += 1
                }
                var end = index
                while end > start && scalars[end - 1] == "*" {
                    clause.isPrefix = true
                    end -= 1
                }
                clause.text = String(String.UnicodeScalarView(scalars[start..<end]))
            }
            result.append(clause)
        }
        return result
    }

    /// A field name and colon at `index`, with the index after the colon.
    private static func field(in scalars: [Unicode.Scalar], at index: Int) -> (Field, Int)? {
        var end = index
        while end < scalars.count && scalars[end].isASCII && scalars[end].properties.isAlphabetic { end += 1 }
        guard end < scalars.count, scalars[end] == ":", end > index,
            let field = Field(rawValue: String(String.UnicodeScalarView(scalars[index..<end])).lowercased())
        else { return nil }
        return (field, end + 1)
    }
}

/// A query Akhbar cannot run, with a reason a person can act on.
public struct InvalidQuery: Error, Sendable, Hashable {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }
}
