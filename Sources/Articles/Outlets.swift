/// Outlet names Akhbar recognizes: the SaudiNewsNet source ids, and the Latin and Arabic names
/// outlets print at the top of their pages. An article's `outlet` is always the Arabic name when
/// one is known.
enum Outlets {
    private struct Outlet {
        var arabic: String
        var latin: [String]
        var sourceIDs: [String] = []
    }

    private static let all: [Outlet] = [
        Outlet(arabic: "الرياض", latin: ["Al-Riyadh", "Alriyadh"], sourceIDs: ["alriyadh"]),
        Outlet(arabic: "الجزيرة", latin: ["Al-Jazirah", "Al Jazirah"], sourceIDs: ["aljazirah"]),
        Outlet(arabic: "اليوم", latin: ["Al-Yaum", "Alyaum"], sourceIDs: ["alyaum"]),
        Outlet(arabic: "الاقتصادية", latin: ["Al-Eqtisadiya", "Aleqt"], sourceIDs: ["aleqtisadiya"]),
        Outlet(arabic: "الشرق الأوسط", latin: ["Asharq Al-Awsat", "Aawsat"], sourceIDs: ["aawsat"]),
        Outlet(arabic: "عكاظ", latin: ["Okaz"], sourceIDs: ["okaz"]),
        Outlet(arabic: "الوطن", latin: ["Al-Watan", "Alwatan"], sourceIDs: ["alwatan"]),
        Outlet(arabic: "المدينة", latin: ["Al-Madina", "Almadina"], sourceIDs: ["almadina"]),
        Outlet(arabic: "الوئام", latin: ["Al-Weeam", "Alweeam"], sourceIDs: ["alweeam"]),
        Outlet(arabic: "عين اليوم", latin: ["Ain Alyoum", "3alyoum"], sourceIDs: ["3alyoum"]),
        Outlet(arabic: "سبق", latin: ["Sabq"], sourceIDs: ["sabq"]),
        Outlet(arabic: "وكالة الأنباء السعودية", latin: ["Saudi Press Agency", "SPA"], sourceIDs: ["was", "spa"]),
        Outlet(arabic: "الرياضي", latin: ["Arreyadi"], sourceIDs: ["arreyadi"]),
        Outlet(arabic: "الرياضية", latin: ["Arriyadiyah", "Arreyadiyah"], sourceIDs: ["arriyadiyah", "arreyadiyah"]),
        Outlet(
            arabic: "وكالة الأنباء الليبية", latin: ["Lana News", "LANA", "Libyan News Agency"], sourceIDs: ["lana"]),
        Outlet(arabic: "الأمصار", latin: ["Al-Amsar", "Alamsar"], sourceIDs: ["alamsar"]),
    ]

    private static let byKey: [String: String] = {
        var map: [String: String] = [:]
        for outlet in all {
            map[key(outlet.arabic)] = outlet.arabic
            for name in outlet.latin + outlet.sourceIDs { map[key(name)] = outlet.arabic }
        }
        return map
    }()

    /// The Arabic name for a line that is exactly a known outlet name or source id, else nil.
    static func knownName(_ text: some StringProtocol) -> String? {
        guard text.utf8.count < 64 else { return nil }
        return byKey[key(text)]
    }

    /// Case, hamza and spacing differences do not make a different outlet.
    private static func key(_ text: some StringProtocol) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            switch scalar {
            case "أ", "إ", "آ": out.append("ا")
            case " ", "-", "_", ".", "\u{A0}": continue
            default:
                if scalar.properties.generalCategory == .format { continue }
                out.append(scalar)
            }
        }
        return String(out)
    }
}
