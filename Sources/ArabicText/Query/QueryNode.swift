/// One condition of a ``Query``.
///
/// Words and phrases are the leaves that the full-text index answers; `date` and `place` are
/// answered by the article's own columns, so they appear only where they filter the whole query.
public indirect enum QueryNode: Sendable, Hashable, CustomStringConvertible {
    /// One word, with the forms it matches.
    case word(QueryWord)
    /// Words that must follow one another in this order.
    case phrase(QueryPhrase)
    /// Words and phrases that must all occur within `distance` words of each other, in any order
    /// (`NEAR(a b, 5)`, `"a b"~5`). The members are `.word` or `.phrase` nodes without a field of their
    /// own; `field` applies to all of them.
    case near([QueryNode], distance: Int, field: QueryField?)
    /// Every child must hold. At least two children.
    case and([QueryNode])
    /// At least one child must hold. At least two children.
    case or([QueryNode])
    /// The child must not hold. Only ever a child of `and` (beside a condition that is not negated):
    /// a query cannot ask for everything except something.
    case not(QueryNode)
    /// The article's publication date (or, when it states none, its ingest day) lies in the range.
    case date(DateRange)
    /// The article's dateline place is this one (compared after normalization).
    case place(QueryPlace)

    public var description: String { QueryPrinter.text(of: self, context: .top) }
}

/// The columns a word, phrase or proximity condition can be limited to.
public enum QueryField: String, Sendable, Hashable, CaseIterable {
    case title, outlet, author
}

/// A query word: as typed, and as analyzed into index terms.
public struct QueryWord: Sendable, Hashable {
    /// What the user typed for it, without field, sign or star.
    public var typed: String
    public var field: QueryField?
    /// `word*`: any index term starting with ``WordForms/literal``; such a word has no other forms.
    public var isPrefix: Bool
    public var forms: WordForms

    public init(typed: String, field: QueryField? = nil, isPrefix: Bool = false, forms: WordForms) {
        self.typed = typed
        self.field = field
        self.isPrefix = isPrefix
        self.forms = forms
    }
}

/// The index terms one word matches, by how close they are to what was typed. Each list holds terms
/// exactly as the index has them (stem terms start with ``ArabicAnalyzer/stemMarker``), without
/// duplicates across the lists.
public struct WordForms: Sendable, Hashable {
    /// The word as typed, normalized: the form the exact-word ranking tier looks for.
    public var literal: String
    /// The same word with another common proclitic (لمنطقتي for منطقتي): exact forms too.
    public var prefixed: [String]
    /// Its stem as a stem term and, when the stem differs from the word, as a word of its own.
    public var stems: [String]
    /// Other readings of its affixes (other inflections), as stem terms and words.
    public var inflections: [String]
    /// A very common word (في، من، على …): left out of a conjunction that has other words.
    public var isStopword: Bool

    public init(
        literal: String, prefixed: [String] = [], stems: [String] = [], inflections: [String] = [],
        isStopword: Bool = false
    ) {
        self.literal = literal
        self.prefixed = prefixed
        self.stems = stems
        self.inflections = inflections
        self.isStopword = isStopword
    }

    /// The word and its proclitic forms: what counts as the word itself in ranking.
    public var exact: [String] { [literal] + prefixed }

    /// Every term the word matches as a plain word: exact forms, stems, other inflections.
    public var all: [String] { exact + stems + inflections }

    /// What a field filter or an exclusion matches: the word and its stem, no other inflections, so a
    /// name (an outlet, an author) or a word excluded stays as narrow as typed.
    public var narrow: [String] { [literal] + stems }
}

/// Quoted words: index terms that must occur in this order.
public struct QueryPhrase: Sendable, Hashable {
    /// What the user typed between the quotes.
    public var typed: String
    /// The normalized terms, in order.
    public var terms: [String]
    public var field: QueryField?
    /// `"a b"*`: the last term is a prefix.
    public var isPrefix: Bool

    public init(typed: String, terms: [String], field: QueryField? = nil, isPrefix: Bool = false) {
        self.typed = typed
        self.terms = terms
        self.field = field
        self.isPrefix = isPrefix
    }
}

/// A place filter (`place:طرابلس`).
public struct QueryPlace: Sendable, Hashable {
    /// What the user typed.
    public var typed: String
    /// Its normalized words, compared with the normalized words of an article's place.
    public var normalized: String

    public init(typed: String, normalized: String) {
        self.typed = typed
        self.normalized = normalized
    }
}

/// An inclusive range of days, `YYYY-MM-DD`, either end open.
public struct DateRange: Sendable, Hashable {
    public var first: String?
    public var last: String?

    public init(first: String?, last: String?) {
        self.first = first
        self.last = last
    }
}
