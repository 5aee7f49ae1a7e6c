import JSONText

extension SearchReply {
    /// This reply as a whole Varlink message (`{"parameters": {"hits": […]}}`), without the NUL that
    /// ends it on the wire; optional fields that are nil are left out, as `JSONEncoder` does.
    public var varlinkMessage: [UInt8] {
        JSONWriter.varlinkReply(capacity: 1024 + hits.count * 1024) { json in
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
        }
    }
}
