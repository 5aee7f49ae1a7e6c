import AkhbarProtocol

/// A watch's matches as an Atom feed (RFC 4287).
///
/// Ids are `tag:` URIs (RFC 4151) made from the watch's name and creation day, so they stay the same
/// from one run to the next and a reader shows each match once.
struct AtomFeed {
    let watch: WatchInfo
    let matches: [WatchMatch]

    var xml: String {
        let day = String(watch.created.prefix(10))
        let feedID = "tag:akhbar,\(day):watch/\(Self.percentEncoded(watch.name))"
        var lines = [
            #"<?xml version="1.0" encoding="utf-8"?>"#,
            #"<feed xmlns="http://www.w3.org/2005/Atom">"#,
            "  <id>\(feedID)</id>",
            "  <title>\(Self.escaped("akhbar watch \(watch.name): \(watch.query)"))</title>",
            "  <updated>\(watch.lastMatch ?? watch.created)</updated>",
            "  <author><name>akhbard</name></author>",
            "  <generator>akhbar</generator>",
        ]
        if let note = watch.note { lines.append("  <subtitle>\(Self.escaped(note))</subtitle>") }
        for match in matches {
            let article = match.article
            lines.append("  <entry>")
            lines.append("    <id>\(feedID)/article/\(article.id)</id>")
            lines.append("    <title>\(Self.escaped(article.title))</title>")
            lines.append("    <updated>\(match.matched ?? match.article.ingested)</updated>")
            if let path = article.path {
                lines.append(#"    <link rel="alternate" href="file://\#(Self.percentEncoded(path, keeping: "/"))"/>"#)
            }
            lines.append("    <summary>\(Self.escaped(match.snippet))</summary>")
            let details = [article.outlet, article.date, "akhbar show \(article.id)"].compactMap { $0 }
            lines.append("    <content type=\"text\">\(Self.escaped(details.joined(separator: " · ")))</content>")
            lines.append("  </entry>")
        }
        lines.append("</feed>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text safe in XML 1.0 content and attributes: markup escaped, characters XML forbids dropped.
    static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value): continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `text` with every byte outside the unreserved set (and `keeping`) percent-encoded.
    static func percentEncoded(_ text: String, keeping: String = "") -> String {
        var result = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if (scalar.properties.isASCIIHexDigit || scalar.isASCII && scalar.properties.isAlphabetic
                || "-._~".unicodeScalars.contains(scalar) || keeping.unicodeScalars.contains(scalar)) && byte < 0x80
            {
                result.unicodeScalars.append(scalar)
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(width - count, 0)) + self
    }
}
