import Articles
import Foundation
import Testing

struct CivilDayTests {
    @Test func dayNumbersAgreeWithFoundationsCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for number in stride(from: Int32(-30_000), through: 60_000, by: 37) {
            let date = Date(timeIntervalSince1970: Double(number) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            let civil = CivilDay.date(number)
            #expect(civil.year == parts.year && civil.month == parts.month && civil.day == parts.day, "\(number)")
            #expect(CivilDay.number(civil.year, civil.month, civil.day) == number)
            // The Monday on or before: weekday 2 in Foundation's numbering.
            let monday = CivilDay.monday(number)
            #expect(number - monday < 7 && number >= monday)
            #expect(calendar.component(.weekday, from: Date(timeIntervalSince1970: Double(monday) * 86_400)) == 2)
            let text = CivilDay.text(number)
            let back = CivilDay.parts(text)
            #expect(back.map { CivilDay.number($0.year, $0.month, $0.day) } == number, "\(text)")
        }
        #expect(CivilDay.parts("2015-07") ?? (0, 0, 0) == (2015, 7, 0))
        #expect(CivilDay.parts("2015-7-1") == nil && CivilDay.parts("July") == nil)
    }
}
