extension DateRange {
    /// Parses the value of `date:`: a year, a month or a day (`2015`, `2015-07`, `2015-07-04`), or a
    /// range of them with `..`, either end open (`2015-07..2015-09`, `2016..`, `..2015-06-30`). A year or
    /// month stands for all its days. `position` is where the condition starts, for errors.
    init(parsing value: String, at position: Int) throws(InvalidQuery) {
        let usage =
            "date: takes 2015, 2015-07 or 2015-07-04, or a range such as 2015-07..2015-09 or 2016.., not '\(value)'"
        let parts = value.split(separator: "..", maxSplits: 1, omittingEmptySubsequences: false)
        let first: Substring
        let last: Substring
        if parts.count == 2 {
            (first, last) = (parts[0], parts[1])
            if first.isEmpty && last.isEmpty { throw InvalidQuery(reason: usage, position: position) }
        } else {
            (first, last) = (parts[0], parts[0])
        }
        var range = DateRange(first: nil, last: nil)
        if !first.isEmpty {
            guard let day = Self.day(first, end: false) else { throw InvalidQuery(reason: usage, position: position) }
            range.first = day
        }
        if !last.isEmpty {
            guard let day = Self.day(last, end: true) else { throw InvalidQuery(reason: usage, position: position) }
            range.last = day
        }
        if let from = range.first, let to = range.last, from > to {
            throw InvalidQuery(reason: "date: the range \(value) ends before it starts", position: position)
        }
        self = range
    }

    /// The first (or, with `end`, last) day of a year, month or day written `YYYY[-MM[-DD]]`, as `YYYY-MM-DD`.
    private static func day(_ text: Substring, end: Bool) -> String? {
        let fields = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(fields.count) else { return nil }
        var numbers: [Int] = []
        for (index, field) in fields.enumerated() {
            guard field.unicodeScalars.count == (index == 0 ? 4 : 2) else { return nil }
            var value = 0
            for scalar in field.unicodeScalars {
                guard let digit = QueryLexer.digit(scalar) else { return nil }
                value = value * 10 + digit
            }
            numbers.append(value)
        }
        let year = numbers[0]
        guard year >= 1 else { return nil }
        let month = numbers.count > 1 ? numbers[1] : (end ? 12 : 1)
        guard (1...12).contains(month) else { return nil }
        let length = daysIn(month: month, year: year)
        let day = numbers.count > 2 ? numbers[2] : (end ? length : 1)
        guard (1...length).contains(day) else { return nil }
        return format(year: year, month: month, day: day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func format(year: Int, month: Int, day: Int) -> String {
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    /// The shortest `date:` value for this range: a whole year or month as such.
    var text: String {
        if let first, let last {
            if first == last { return first }
            let (firstYear, firstMonth, firstDay) = (first.prefix(4), first.dropFirst(5).prefix(2), first.suffix(2))
            let (lastYear, lastMonth, lastDay) = (last.prefix(4), last.dropFirst(5).prefix(2), last.suffix(2))
            if firstYear == lastYear, firstMonth == "01", firstDay == "01", lastMonth == "12", lastDay == "31" {
                return String(firstYear)
            }
            if firstYear == lastYear, firstMonth == lastMonth, firstDay == "01", let year = Int(lastYear),
                let month = Int(lastMonth), Int(lastDay) == Self.daysIn(month: month, year: year)
            {
                return String(first.prefix(7))
            }
        }
        return (first ?? "") + ".." + (last ?? "")
    }
}
