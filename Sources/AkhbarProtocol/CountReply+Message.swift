import JSONText

extension CountReply {
    /// This reply as a whole Varlink message, without the NUL that ends it on the wire. A count by
    /// day over years is thousands of buckets, and `JSONEncoder` took most of such a count's time.
    public var varlinkMessage: [UInt8] {
        JSONWriter.varlinkReply(capacity: 256 + buckets.count * 64) { json in
            json.key("buckets")
            json.beginArray()
            for bucket in buckets {
                json.beginObject()
                json.member("key", bucket.key)
                json.member("articles", Int64(bucket.articles))
                json.member("stories", Int64(bucket.stories))
                json.endObject()
            }
            json.endArray()
            json.member("total", Int64(total))
            json.member("stories", Int64(stories))
            json.member("undated", Int64(undated))
            json.member("others", Int64(others))
        }
    }
}
