/// One news article as Akhbar understands it: the searchable text and the metadata found around it.
///
/// `original` keeps the article exactly as it was decoded from its drop file, so nothing is lost
/// when the file goes away; `body` is the cleaned, searchable text.
public struct Article: Sendable, Hashable, Codable {
    public var title: String
    /// True when the file had no explicit title and `title` was derived from the first sentence.
    public var titleIsDerived: Bool
    /// Searchable body: paragraphs separated by a blank line, boilerplate removed.
    public var body: String
    public var outlet: String?
    public var section: String?
    public var author: String?
    public var date: ArticleDate?
    public var dateline: Dateline?
    public var url: String?
    /// Fields of a JSON article that Akhbar has no column for, as a JSON object text.
    public var extraFields: String?
    /// The article's text as decoded from the file: the whole text file, or the JSON object it came from.
    public var original: String

    public init(
        title: String, titleIsDerived: Bool = false, body: String, outlet: String? = nil,
        section: String? = nil, author: String? = nil, date: ArticleDate? = nil,
        dateline: Dateline? = nil, url: String? = nil, extraFields: String? = nil, original: String
    ) {
        self.title = title
        self.titleIsDerived = titleIsDerived
        self.body = body
        self.outlet = outlet
        self.section = section
        self.author = author
        self.date = date
        self.dateline = dateline
        self.url = url
        self.extraFields = extraFields
        self.original = original
    }
}

/// A publication date as precise as the source states it.
public struct ArticleDate: Sendable, Hashable, Codable {
    public enum Precision: String, Sendable, Hashable, Codable {
        case day, minute, second
    }

    /// ISO 8601 without time zone: `2025-08-26`, `2025-08-26T19:22` or `2025-08-26T19:22:05`.
    public var value: String
    public var precision: Precision

    public init(value: String, precision: Precision) {
        self.value = value
        self.precision = precision
    }
}

/// The place, date and agency a wire story opens with, as in "نيويورك 24 سبتمبر 2025م(وال)-".
public struct Dateline: Sendable, Hashable, Codable {
    public var place: String?
    public var agency: String?
    /// The dateline as written in the file.
    public var text: String

    public init(place: String?, agency: String?, text: String) {
        self.place = place
        self.agency = agency
        self.text = text
    }
}
