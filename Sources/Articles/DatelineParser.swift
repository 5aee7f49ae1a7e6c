/// Reads the dateline a wire story opens with: place, date and agency before the first sentence.
///
/// Forms handled: "نيويورك 24 سبتمبر 2025م(وال)- …", "الرياض ٢١ يوليو ٢٠١٥م (الوئام) - …",
/// "القدس المحتلة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس …".
enum DatelineParser {
    struct Result {
        var dateline: Dateline
        var date: ArticleDate
    }

    /// Agencies that sign datelines without parentheses (in normalized spelling).
    private static let bareAgencies: Set<String> = ["واس", "وال", "قنا", "وام", "بنا", "كونا", "سبا", "وفا"]

    static func parse(_ paragraph: some StringProtocol) -> Result? {
        let scalars = Array(paragraph.unicodeScalars.prefix(240))
        let tokens = DateToken.tokenize(scalars, limit: 40)
        // The place: one to four words straight before the date.
        var placeEnd = 0
        while placeEnd < tokens.count, placeEnd < 4, tokens[placeEnd].word != nil { placeEnd += 1 }
        guard placeEnd > 0, placeEnd < tokens.count, tokens[placeEnd].number != nil else { return nil }
        guard let match = ArabicDateParser.match(tokens, at: placeEnd) else { return nil }
        var index = match.end
        var agency: String?
        var end = tokens[index - 1].range.upperBound
        if index < tokens.count, tokens[index].isSymbol("(") {
            var close = index + 1
            while close < tokens.count, close < index + 6, !tokens[close].isSymbol(")") { close += 1 }
            if close < tokens.count, tokens[close].isSymbol(")"), close > index + 1 {
                agency = text(scalars, tokens[index + 1].range.lowerBound..<tokens[close - 1].range.upperBound)
                index = close + 1
                end = tokens[close].range.upperBound
            }
        } else if index < tokens.count, let word = tokens[index].word {
            // "… 2015 م واس" — sometimes glued to the next word by a careless join ("واساختتمت").
            if let bare = bareAgencies.first(where: { word == $0 || (word.hasPrefix($0) && word.count > $0.count + 2) })
            {
                agency = bare
                end = tokens[index].range.lowerBound + bare.unicodeScalars.count
                if word == bare { index += 1 }
            }
        }
        if index < tokens.count, tokens[index].isSymbol("-", "–", "—", ":", "_") {
            end = tokens[index].range.upperBound
        } else if agency == nil {
            // Without an agency or a dash, "أكد أن 24 سبتمبر 2025 موعد…" is a sentence, not a dateline.
            return nil
        }
        let place = text(scalars, tokens[0].range.lowerBound..<tokens[placeEnd - 1].range.upperBound)
        let written = text(scalars, 0..<end).trimmingWhitespace()
        return Result(dateline: Dateline(place: place, agency: agency, text: written), date: match.date)
    }

    private static func text(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> String {
        String(String.UnicodeScalarView(scalars[range]))
    }
}
