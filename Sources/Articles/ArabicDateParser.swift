/// Reads publication dates as Arabic news sites print them:
/// "الثلاثاء 26 أغسطس 2025 - 07:22 م", "الأحد، ٢٦ تموز ٢٠١٥", "21 يوليو/تموز 2015م",
/// "25 شوال 1436 هـ الموافق 10 اغسطس 2015 م", "2015-07-21 02:16:20", "March 2, 2023".
///
/// Month names: Egyptian/Gregorian (يناير…ديسمبر), Maghrebi (جانفي، أوت، شتنبر…), Levantine
/// (كانون الثاني…كانون الأول) and combined forms ("يونيو/حزيران"). Hijri dates are recognized so
/// they can be skipped, but only their Gregorian equivalent ("الموافق …") yields a date.
enum ArabicDateParser {
    /// A date found at a token position.
    struct Match {
        var date: ArticleDate
        /// Index just past the last token of the date.
        var end: Int
    }

    /// The date when the whole line is a date (optionally with weekday, time and punctuation).
    static func parseLine(_ line: some StringProtocol) -> ArticleDate? {
        let tokens = DateToken.tokenize(line.unicodeScalars, limit: 24)
        guard tokens.count < 24 else { return nil }
        var start = 0
        while start < tokens.count, tokens[start].isSymbol { start += 1 }
        guard let match = self.match(tokens, at: start) else { return nil }
        guard tokens[match.end...].allSatisfy(\.isSymbol) else { return nil }
        return match.date
    }

    /// A date (with optional weekday and time) starting exactly at `start`.
    static func match(_ tokens: [DateToken], at start: Int) -> Match? {
        var index = start
        if let leadingTime = time(tokens, at: index) {
            // "07:22 م الثلاثاء 26 أغسطس 2025": a time before the date.
            var afterTime = leadingTime.end
            afterTime = skipSeparators(tokens, from: afterTime)
            if let day = calendarDay(tokens, at: afterTime) {
                return Match(date: makeDate(day.ymd, time: leadingTime.hms), end: day.end)
            }
            return nil
        }
        guard let day = calendarDay(tokens, at: index) else { return nil }
        index = day.end
        let timeStart = skipSeparators(tokens, from: index)
        if let time = time(tokens, at: timeStart) {
            return Match(date: makeDate(day.ymd, time: time.hms), end: time.end)
        }
        return Match(date: makeDate(day.ymd, time: nil), end: index)
    }

    // MARK: - Days

    private typealias YMD = (year: Int, month: Int, day: Int)
    private typealias HMS = (hour: Int, minute: Int, second: Int?)

    private static func calendarDay(_ tokens: [DateToken], at start: Int) -> (ymd: YMD, end: Int)? {
        var index = start
        if index < tokens.count, let word = tokens[index].word, weekdays.contains(word) {
            index += 1
            while index < tokens.count, tokens[index].isSymbol(",", "،", "-", "–") { index += 1 }
        }
        if let result = dayMonthYear(tokens, at: index) ?? monthDayYear(tokens, at: index)
            ?? numericDate(tokens, at: index)
        {
            return result
        }
        return nil
    }

    /// "26 أغسطس 2025م", "21 يوليو/تموز 2015", "25 شوال 1436 هـ الموافق 10 اغسطس 2015 م".
    private static func dayMonthYear(_ tokens: [DateToken], at start: Int) -> (ymd: YMD, end: Int)? {
        guard start < tokens.count, let day = tokens[start].number, (1...31).contains(day.value), day.digits <= 2 else {
            return nil
        }
        var index = start + 1
        if let hijri = hijriMonth(tokens, at: index) {
            index = hijri
            guard index < tokens.count, let year = tokens[index].number, year.digits == 4 else { return nil }
            index += 1
            if index < tokens.count, tokens[index].word == "ه" || tokens[index].word == "هـ" { index += 1 }
            while index < tokens.count, tokens[index].isSymbol("(", ")", ",", "،", "-", "/") { index += 1 }
            guard index < tokens.count, tokens[index].word == "الموافق" || tokens[index].word == "موافق" else {
                return nil
            }
            return dayMonthYear(tokens, at: index + 1)
        }
        guard let month = gregorianMonth(tokens, at: index) else { return nil }
        index = month.end
        guard index < tokens.count, let year = tokens[index].number, year.digits == 4, isPlausibleYear(year.value)
        else { return nil }
        index += 1
        if index < tokens.count, let word = tokens[index].word, word == "م" || word == "ميلادي" || word == "ميلادية" {
            // "م" after a year is the era; after a time it would mean PM, handled in `time`.
            if !(index + 1 < tokens.count && tokens[index + 1].isSymbol(":")) { index += 1 }
        }
        guard isValid(year.value, month.value, day.value) else { return nil }
        return ((year.value, month.value, day.value), index)
    }

    /// "March 2, 2023" and "يوليو 21، 2015".
    private static func monthDayYear(_ tokens: [DateToken], at start: Int) -> (ymd: YMD, end: Int)? {
        guard let month = gregorianMonth(tokens, at: start) else { return nil }
        var index = month.end
        guard index < tokens.count, let day = tokens[index].number, (1...31).contains(day.value) else { return nil }
        index += 1
        if index < tokens.count, tokens[index].isSymbol(",", "،") { index += 1 }
        guard index < tokens.count, let year = tokens[index].number, year.digits == 4, isPlausibleYear(year.value),
            isValid(year.value, month.value, day.value)
        else { return nil }
        return ((year.value, month.value, day.value), index + 1)
    }

    /// "2015-07-21", "2015/07/21", "21/07/2015", "21-7-2015", "21.07.2015".
    private static func numericDate(_ tokens: [DateToken], at start: Int) -> (ymd: YMD, end: Int)? {
        guard start + 4 < tokens.count,
            let first = tokens[start].number, let second = tokens[start + 2].number,
            let third = tokens[start + 4].number,
            tokens[start + 1].isSymbol("-", "/", "."), tokens[start + 3].isSymbol("-", "/", "."),
            tokens[start + 1].kind == tokens[start + 3].kind
        else { return nil }
        let ymd: YMD
        if first.digits == 4 {
            ymd = (first.value, second.value, third.value)
        } else if third.digits == 4 {
            ymd = (third.value, second.value, first.value)
        } else {
            return nil
        }
        guard isPlausibleYear(ymd.year), isValid(ymd.year, ymd.month, ymd.day) else { return nil }
        var end = start + 5
        if end < tokens.count, tokens[end].word == "م" || tokens[end].word == "t" { end += 1 }
        return (ymd, end)
    }

    private static func gregorianMonth(_ tokens: [DateToken], at start: Int) -> (value: Int, end: Int)? {
        guard start < tokens.count, let word = tokens[start].word else { return nil }
        var value: Int?
        var end = start + 1
        if word == "كانون" || word == "تشرين", end < tokens.count, let second = tokens[end].word {
            switch (word, second) {
            case ("كانون", "الثاني"), ("كانون", "ثاني"): value = 1
            case ("كانون", "الاول"), ("كانون", "اول"): value = 12
            case ("تشرين", "الاول"), ("تشرين", "اول"): value = 10
            case ("تشرين", "الثاني"), ("تشرين", "ثاني"): value = 11
            default: break
            }
            end += 1
        } else {
            value = months[word]
        }
        guard let value else { return nil }
        // Combined forms: "يونيو/حزيران", "كانون الثاني/يناير"; the alternative must agree.
        if end + 1 < tokens.count, tokens[end].isSymbol("/", "-", "("),
            let alternative = gregorianMonth(tokens, at: end + 1),
            alternative.value == value
        {
            end = alternative.end
            if end < tokens.count, tokens[end].isSymbol(")") { end += 1 }
        }
        return (value, end)
    }

    /// The index after a Hijri month name, if one starts at `start`.
    private static func hijriMonth(_ tokens: [DateToken], at start: Int) -> Int? {
        guard start < tokens.count, let word = tokens[start].word else { return nil }
        if singleWordHijriMonths.contains(word) { return start + 1 }
        if ["ربيع", "جمادي", "جماد", "ذو", "ذي"].contains(word), start + 1 < tokens.count, tokens[start + 1].word != nil
        {
            return start + 2
        }
        return nil
    }

    // MARK: - Times

    private static func time(_ tokens: [DateToken], at start: Int) -> (hms: HMS, end: Int)? {
        var index = start
        if index < tokens.count, let word = tokens[index].word, word == "الساعة" || word == "الساعه" || word == "at" {
            index += 1
        }
        guard index + 2 < tokens.count, let hour = tokens[index].number, hour.digits <= 2, hour.value < 24,
            tokens[index + 1].isSymbol(":"), let minute = tokens[index + 2].number, minute.digits == 2,
            minute.value < 60
        else { return nil }
        index += 3
        var second: Int?
        if index + 1 < tokens.count, tokens[index].isSymbol(":"), let value = tokens[index + 1].number,
            value.digits == 2, value.value < 60
        {
            second = value.value
            index += 2
        }
        var hourValue = hour.value
        if index < tokens.count, let word = tokens[index].word {
            if ["م", "مساء", "pm", "p"].contains(word) {
                if hourValue < 12 { hourValue += 12 }
                index += 1
            } else if ["ص", "صباحا", "am", "a"].contains(word) {
                if hourValue == 12 { hourValue = 0 }
                index += 1
            }
        }
        return ((hourValue, minute.value, second), index)
    }

    private static func skipSeparators(_ tokens: [DateToken], from start: Int) -> Int {
        var index = start
        while index < tokens.count, index < start + 2,
            tokens[index].isSymbol("-", "–", "—", ",", "،", "|", "@", "/", "T")
        {
            index += 1
        }
        if index < tokens.count, tokens[index].word == "t" { index += 1 }
        return index
    }

    // MARK: - Building

    private static func makeDate(_ day: YMD, time: HMS?) -> ArticleDate {
        let dayText = pad(day.year, 4) + "-" + pad(day.month, 2) + "-" + pad(day.day, 2)
        guard let time else { return ArticleDate(value: dayText, precision: .day) }
        let minuteText = dayText + "T" + pad(time.hour, 2) + ":" + pad(time.minute, 2)
        guard let second = time.second else { return ArticleDate(value: minuteText, precision: .minute) }
        return ArticleDate(value: minuteText + ":" + pad(second, 2), precision: .second)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    private static func isPlausibleYear(_ year: Int) -> Bool { (1900...2100).contains(year) }

    private static func isValid(_ year: Int, _ month: Int, _ day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return day <= (month == 2 && leap ? 29 : lengths[month - 1])
    }

    // MARK: - Vocabulary (in DateToken's normalized spelling)

    private static let weekdays: Set<String> = [
        "الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعة", "الجمعه", "السبت",
        "احد", "اثنين", "ثلاثاء", "اربعاء", "خميس", "جمعة", "سبت",
        "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sun", "mon", "tue", "wed", "thu", "fri", "sat",
    ]

    private static let months: [String: Int] = [
        "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
        "يوليو": 7, "يوليه": 7, "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
        // Maghrebi (Algeria, Tunisia, Morocco).
        "جانفي": 1, "فيفري": 2, "افريل": 4, "ماي": 5, "جوان": 6, "جويلية": 7, "جويليه": 7, "اوت": 8,
        "يوليوز": 7, "غشت": 8, "شتنبر": 9, "نونبر": 11, "دجنبر": 12,
        // Levantine single-word names; the two-word ones are handled in `gregorianMonth`.
        "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7, "اب": 8, "ايلول": 9,
        "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
        "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
        "oct": 10, "nov": 11, "dec": 12,
    ]

    private static let singleWordHijriMonths: Set<String> = ["محرم", "صفر", "رجب", "شعبان", "رمضان", "شوال"]
}
