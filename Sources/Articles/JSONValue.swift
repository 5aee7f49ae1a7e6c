import JSONText

/// A parsed JSON value. Objects keep their members in file order so that unknown fields are
/// stored the way the scraper wrote them.
indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number as written, so nothing is lost to floating point.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([Member])

    struct Member: Sendable, Hashable {
        var key: String
        var value: JSONValue
    }

    /// Compact JSON text for this value.
    var jsonText: String {
        var writer = JSONWriter()
        write(to: &writer)
        return writer.text
    }

    private func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let value): writer.value(value)
        case .number(let text): writer.number(text)
        case .string(let text): writer.value(text)
        case .array(let elements):
            writer.beginArray()
            for element in elements { element.write(to: &writer) }
            writer.endArray()
        case .object(let members):
            writer.beginObject()
            for member in members {
                writer.key(member.key)
                member.value.write(to: &writer)
            }
            writer.endObject()
        }
    }
}
