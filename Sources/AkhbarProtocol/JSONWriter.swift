/// Writes JSON text straight into bytes, for the reply sent with every search.
///
/// `JSONEncoder` first builds a tree of boxed values and then walks it; for a page of ten hits
/// that was about 5 % of the daemon's time per search. Replies sent rarely keep using `Codable`.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether the container being written needs a comma before its next member.
    private var needsComma = false

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        needsComma = false
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        needsComma = true
    }

    /// A member's key; its value follows with one of the value writers.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        needsComma = false
    }

    mutating func value(_ text: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Runs of bytes that need no escape (all of them, in most text) are copied whole.
            var run = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<index]))
                escape(byte)
                run = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...]))
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    private mutating func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "n"))
        case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "t"))
        case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "r"))
        default:
            let digits = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
        }
    }

    mutating func value(_ number: Int64) {
        separate()
        bytes.append(contentsOf: String(number).utf8)
        needsComma = true
    }

    /// JSON has no infinity or NaN: those are written as 0 rather than as a message no peer can read.
    mutating func value(_ number: Double) {
        separate()
        bytes.append(contentsOf: (number.isFinite ? number.description : "0").utf8)
        needsComma = true
    }

    mutating func value(_ flag: Bool) {
        separate()
        bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        needsComma = true
    }

    /// A member with its value; nothing when the value is nil.
    mutating func member(_ name: StaticString, _ text: String?) {
        guard let text else { return }
        key(name)
        value(text)
    }

    mutating func member(_ name: StaticString, _ number: Int64?) {
        guard let number else { return }
        key(name)
        value(number)
    }

    mutating func member(_ name: StaticString, _ number: Double) {
        key(name)
        value(number)
    }

    mutating func member(_ name: StaticString, _ flag: Bool?) {
        guard let flag else { return }
        key(name)
        value(flag)
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }
}

extension SearchReply {
    /// This reply as a whole Varlink message (`{"parameters": {"hits": […]}}`), without the NUL that
    /// ends it on the wire; optional fields that are nil are left out, as `JSONEncoder` does.
    public var varlinkMessage: [UInt8] {
        var json = JSONWriter(capacity: 1024 + hits.count * 1024)
        json.beginObject()
        json.key("parameters")
        json.beginObject()
        json.key("hits")
        json.beginArray()
        for hit in hits {
            json.beginObject()
            json.member("id", hit.id)
            json.member("title", hit.title)
            json.member("outlet", hit.outlet)
            json.member("date", hit.date)
            json.member("dateIsIngest", hit.dateIsIngest)
            json.member("path", hit.path)
            json.member("score", hit.score)
            json.member("snippet", hit.snippet)
            json.key("highlights")
            json.beginArray()
            for highlight in hit.highlights {
                json.beginObject()
                json.member("start", Int64(highlight.start))
                json.member("end", Int64(highlight.end))
                json.endObject()
            }
            json.endArray()
            json.member("duplicates", hit.duplicates.map(Int64.init))
            json.endObject()
        }
        json.endArray()
        json.endObject()
        json.endObject()
        return json.bytes
    }
}
