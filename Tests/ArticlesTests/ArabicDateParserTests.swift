import Testing

@testable import Articles

@Suite struct ArabicDateParserTests {
    @Test(arguments: [
        ("الثلاثاء 26 أغسطس 2025 - 07:22 م", "2025-08-26T19:22"),
        ("الثلاثاء، 21 يوليو/تموز 2015 - 02:16 ص", "2015-07-21T02:16"),
        ("الثلاثاء ٢١ تموز ٢٠١٥ - ٠١:٠٣ م", "2015-07-21T13:03"),
        ("الإثنين 10 أغسطس 2015 - 12:27 ص", "2015-08-10T00:27"),
        ("الخميس 6 آب 2015 - 10:23 م", "2015-08-06T22:23"),
        ("٢٤ يوليو ٢٠١٥ ٠٨:٤٥ ص", "2015-07-24T08:45"),
        ("الأحد 3 كانون الثاني 2016 - 12:05 م", "2016-01-03T12:05"),
        ("1 تشرين الأول 2024", "2024-10-01"),
        ("26 كانون الأول/ديسمبر 2024م", "2024-12-26"),
        ("الأربعاء 2 يونيو/حزيران 2021", "2021-06-02"),
        ("15 جويلية 2023", "2023-07-15"),
        ("3 شتنبر 2022", "2022-09-03"),
        ("24 سبتمبر 2025م", "2025-09-24"),
        ("25 شوال 1436 هـ الموافق 10 اغسطس 2015 م", "2015-08-10"),
        ("2015-07-21 02:16:20", "2015-07-21T02:16:20"),
        ("21/07/2015", "2015-07-21"),
        ("Tuesday, 11 August 2015 - 00:00 am", "2015-08-11T00:00"),
        ("07:22 م الثلاثاء 26 أغسطس 2025", "2025-08-26T19:22"),
    ])
    func parsesDateLines(_ line: String, _ expected: String) {
        #expect(ArabicDateParser.parseLine(line)?.value == expected)
    }

    @Test func precisionFollowsWhatIsWritten() {
        #expect(ArabicDateParser.parseLine("24 سبتمبر 2025")?.precision == .day)
        #expect(ArabicDateParser.parseLine("24 سبتمبر 2025 - 10:00")?.precision == .minute)
        #expect(ArabicDateParser.parseLine("2025-09-24 10:00:01")?.precision == .second)
    }

    @Test(arguments: [
        "نيويورك 24 سبتمبر 2025م(وال)- شددت",
        "قال إن الاجتماع عقد في 18-19 يوليو",
        "31 فبراير 2025",
        "25 رمضان 1446 هـ",
        "توحيد المؤسسة العسكرية",
        "",
        "2/ 13/ 1990",
    ])
    func rejectsLinesThatAreNotJustADate(_ line: String) {
        #expect(ArabicDateParser.parseLine(line) == nil)
    }
}

@Suite struct DatelineParserTests {
    @Test(arguments: [
        (
            "نيويورك 24 سبتمبر 2025م(وال)- شددت الولايات المتحدة", "نيويورك", "وال", "نيويورك 24 سبتمبر 2025م(وال)-",
            "2025-09-24"
        ),
        (
            "الرياض ٢١ يوليو ٢٠١٥م (الوئام) - كرم طيران ناس", "الرياض", "الوئام", "الرياض ٢١ يوليو ٢٠١٥م (الوئام) -",
            "2015-07-21"
        ),
        (
            "القدس المحتلة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس", "القدس المحتلة", "واس",
            "القدس المحتلة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس", "2015-08-10"
        ),
        (
            "جنيف 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واساختتمت اللجنة", "جنيف", "واس",
            "جنيف 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس", "2015-08-10"
        ),
    ])
    func parsesDatelines(_ paragraph: String, _ place: String, _ agency: String, _ text: String, _ date: String) throws
    {
        let result = try #require(DatelineParser.parse(paragraph))
        #expect(result.dateline.place == place)
        #expect(result.dateline.agency == agency)
        #expect(result.dateline.text == text)
        #expect(result.date.value == date)
    }

    @Test(arguments: [
        "قالت السفارة الأميركية في ليبيا اليوم الخميس، إن الولايات المتحدة",
        "في 2020 وقع الاتفاق",
        "أكد الوزير أن 24 سبتمبر 2025 موعد نهائي",
    ])
    func ignoresOrdinaryOpenings(_ paragraph: String) {
        #expect(DatelineParser.parse(paragraph) == nil)
    }
}
