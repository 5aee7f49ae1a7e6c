import Testing

@testable import Articles

@Suite struct JSONArticleReaderTests {
    private func parse(_ text: String, name: String) throws -> DropFile {
        try DropFileParser().parse(Array(text.utf8), fileName: name)
    }

    @Test func datasetRecordMapsSourceAndDecodesEntities() throws {
        let json = """
            {
                "source": "alweeam",
                "url": "http://www.alweeam.com.sa/1/",
                "date_extracted": "2015-07-21 02:16:20",
                "title": "&#8220;عيد القرينة&#8221;.. فعاليات",
                "author": "&nbsp;الرياض - الوئام :",
                "content": " أقيمت الفعالية أمس.\\n\\n وحضرها جمهور كبير. "
            }
            """
        let file = try parse(json, name: "a.json")
        let article = try #require(file.items.first?.content.article)
        #expect(file.items.first?.position == 0)
        #expect(article.outlet == "الوئام")
        #expect(article.title == "“عيد القرينة”.. فعاليات")
        #expect(article.author == "الرياض - الوئام :")
        #expect(article.date == ArticleDate(value: "2015-07-21T02:16:20", precision: .second))
        #expect(article.url == "http://www.alweeam.com.sa/1/")
        #expect(article.body == "أقيمت الفعالية أمس.\n\nوحضرها جمهور كبير.")
        #expect(article.extraFields == nil)
        #expect(article.original == json)
    }

    @Test func arrayPositionsAndOriginals() throws {
        let json = #"[{"title":"الأول","content":"نص أول"}, {"headline":"الثاني","body":"نص ثان","author":""}, 5]"#
        let file = try parse(json, name: "day.JSON")
        #expect(file.items.map(\.position) == [0, 1, 2])
        #expect(file.items[0].content.article?.original == #"{"title":"الأول","content":"نص أول"}"#)
        #expect(file.items[1].content.article?.title == "الثاني")
        #expect(file.items[1].content.article?.author == nil)
        #expect(file.items[2].content.rejectionReason == "not a JSON object")
    }

    @Test func wrongTypesAreCoercedOrKept() throws {
        let json =
            #"{"source": 42, "url": ["http://example.com/a", "http://example.com/b"], "date_extracted": 1437444980, "title": null, "author": {"name": "سارة"}, "content": ["فقرة أولى.", "فقرة ثانية."]}"#
        let article = try #require(try parse(json, name: "w.json").items.first?.content.article)
        #expect(article.url == "http://example.com/a")
        #expect(article.date == ArticleDate(value: "2015-07-21T02:16:20", precision: .second))
        #expect(article.author == "سارة")
        #expect(article.body == "فقرة أولى.\n\nفقرة ثانية.")
        #expect(article.titleIsDerived)
        #expect(article.title == "فقرة أولى.")
        #expect(article.outlet == nil)
        #expect(article.extraFields == #"{"source":42}"#)
    }

    @Test func unknownFieldsAreKept() throws {
        let json = #"{"title": "عنوان", "content": "نص", "tags": ["ثقافة", "مكتبات"], "lang": "ar"}"#
        let article = try #require(try parse(json, name: "x.json").items.first?.content.article)
        #expect(article.extraFields == #"{"tags":["ثقافة","مكتبات"],"lang":"ar"}"#)
        #expect(article.date == nil && article.outlet == nil && article.url == nil)
    }

    /// Unknown fields are written back as compact JSON: escapes that must stay escaped do, numbers
    /// keep the digits the scraper wrote, nothing else is re-escaped, and a field that is null is left
    /// out (a null inside a value stays).
    @Test func unknownFieldsKeepTheirValuesThroughEscapes() throws {
        let json =
            #"{"title": "عنوان", "content": "نص", "note": "قال \"لا\" \\ a/b\n\t\u0001", "n": 1.50e3, "ok": true, "none": null, "deep": {"k": [1, null, {"x": "y"}]}}"#
        let article = try #require(try parse(json, name: "e.json").items.first?.content.article)
        let extra = try #require(article.extraFields)
        #expect(
            extra == #"{"note":"قال \"لا\" \\ a/b\n\t\u0001","n":1.50e3,"ok":true,"deep":{"k":[1,null,{"x":"y"}]}}"#)
    }

    @Test func truncatedJSONIsRejected() {
        let bytes = Array(#"{"title": "عنوان", "content": "نص مقطوع ف"#.utf8)
        #expect(rejection(bytes, name: "t.json")?.contains("invalid JSON") == true)
    }

    @Test func truncatedArrayKeepsTheElementsBeforeTheBreak() throws {
        let file = try parse(#"[{"title":"الأول","content":"نص"},{"title":"الثا"#, name: "t.json")
        #expect(file.items.count == 2)
        #expect(file.items[0].content.article?.title == "الأول")
        #expect(file.items[1].content.rejectionReason?.contains("element 1") == true)
    }

    @Test func jsonLinesKeepGoodLinesAndNumberBadOnes() throws {
        let lines = [
            #"{"title":"واحد","content":"نص"}"#,
            "",
            #"{"title":"ثلاثة","content":"نص"#,
            #"{"title":"أربعة","content":"نص","source":"was"}"#,
            #"{"title":"","content":""}"#,
        ]
        let file = try parse(lines.joined(separator: "\n"), name: "batch.ndjson")
        #expect(file.items.map(\.position) == [1, 3, 4, 5])
        #expect(file.items[0].content.article?.original == lines[0])
        #expect(file.items[1].content.rejectionReason?.hasPrefix("line 3: invalid JSON") == true)
        #expect(file.items[2].content.article?.outlet == "وكالة الأنباء السعودية")
        #expect(file.items[3].content.rejectionReason == "line 5: no title and no text")
    }

    @Test func jsonLinesWithNothingReadableIsRejected() {
        #expect(rejection(Array("{\n}\n".utf8), name: "b.jsonl")?.hasPrefix("no readable article") == true)
    }

    @Test func isoDatesWithZonesAndFractions() throws {
        let json = #"{"title":"ع","content":"ن","published":"2025-08-26T19:22:05.123+03:00"}"#
        let article = try #require(try parse(json, name: "d.json").items.first?.content.article)
        #expect(article.date == ArticleDate(value: "2025-08-26T19:22:05", precision: .second))
    }

    @Test func arabicDateStringInJSON() throws {
        let json = #"{"title":"ع","content":"ن","date":"الثلاثاء 26 أغسطس 2025 - 07:22 م"}"#
        let article = try #require(try parse(json, name: "d.json").items.first?.content.article)
        #expect(article.date == ArticleDate(value: "2025-08-26T19:22", precision: .minute))
    }

    @Test func escapesAndSurrogatesDecode() throws {
        let json = #"{"title":"\u0645\u0631\u062d\u0628\u0627 \ud83d\ude00 \"x\"","content":"a\\b\/c\tz"}"#
        let article = try #require(try parse(json, name: "e.json").items.first?.content.article)
        #expect(article.title == "مرحبا 😀 \"x\"")
        #expect(article.body == "a\\b/c\tz")
    }

    @Test func deepNestingIsRejectedNotCrashing() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(rejection(Array(deep.utf8), name: "deep.json") != nil)
        let object =
            "{\"title\":\"ع\",\"x\":" + String(repeating: "{\"a\":", count: 50_000) + "1"
            + String(repeating: "}", count: 50_000) + "}"
        #expect(rejection(Array(object.utf8), name: "deep.json")?.contains("nested too deeply") == true)
    }
}
