/// Calendar arithmetic on days numbered from 1970-01-01 (proleptic Gregorian, UTC): dates of epoch
/// timestamps, and counting by period, where it is two orders of magnitude cheaper than `Calendar`
/// and `DateFormatter` (which mattered for a count by day over decades).
public enum CivilDay {
    /// Year, month and day of `YYYY`, `YYYY-MM` or `YYYY-MM-DD…` (0 for a missing part), or nil.
    public static func parts(_ text: String) -> (year: Int, month: Int, day: Int)? {
        let fields = text.prefix(10).split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(fields.count), fields[0].count == 4, let year = Int(fields[0]) else { return nil }
        let month = fields.count > 1 ? Int(fields[1]) : 0
        let day = fields.count > 2 ? Int(fields[2]) : 0
        guard let month, let day, (0...12).contains(month), (0...31).contains(day),
            fields.dropFirst().allSatisfy({ $0.count == 2 })
        else { return nil }
        return (year, month, day)
    }

    /// The day number of a civil date.
    public static func number(_ year: Int, _ month: Int, _ day: Int) -> Int32 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return Int32(era * 146_097 + dayOfEra - 719_468)
    }

    /// The civil date of a day number.
    public static func date(_ number: Int32) -> (year: Int, month: Int, day: Int) {
        let z = Int(number) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The Monday on or before a day (1970-01-01 was a Thursday).
    public static func monday(_ number: Int32) -> Int32 {
        number - Int32(((Int(number) + 3) % 7 + 7) % 7)
    }

    /// YYYYMMDD of a day number, which orders as its text does.
    public static func sortable(_ number: Int32) -> Int32 {
        let civil = date(number)
        return Int32(civil.year * 10_000 + civil.month * 100 + civil.day)
    }

    /// `YYYY-MM-DD`.
    public static func text(_ number: Int32) -> String {
        let civil = date(number)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        append(civil.year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        append(civil.month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        append(civil.day, width: 2, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `YYYY-MM` of a month numbered year × 12 + month − 1.
    public static func monthText(_ month: Int) -> String {
        var bytes: [UInt8] = []
        append(month / 12, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        append(month % 12 + 1, width: 2, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Decimal digits, zero-padded to `width` (a year outside 0…9999 keeps its own width).
    private static func append(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        guard value >= 0 else {
            bytes.append(contentsOf: String(value).utf8)
            return
        }
        var digits: [UInt8] = []
        var rest = value
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(0, width - digits.count)))
        bytes.append(contentsOf: digits.reversed())
    }
}
