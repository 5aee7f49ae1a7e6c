import JSONText

extension JSONWriter {
    /// A whole Varlink reply, `{"parameters": {…}}`, its members written by `members`; without the
    /// NUL that ends it on the wire.
    static func varlinkReply(capacity: Int, _ members: (inout JSONWriter) -> Void) -> [UInt8] {
        var json = JSONWriter(capacity: capacity)
        json.beginObject()
        json.key("parameters")
        json.beginObject()
        members(&json)
        json.endObject()
        json.endObject()
        return json.bytes
    }
}
