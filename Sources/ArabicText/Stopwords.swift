/// Words so common in Arabic news that matching them says nothing about relevance. The query builder
/// leaves them out of a search unless the search has nothing else; they are still indexed, so phrases
/// that contain them work.
public enum Stopwords {
    /// Written as people write them; normalized once so they compare with analyzed terms.
    public static let words: Set<String> = {
        let analyzer = ArabicAnalyzer()
        let written = [
            "في", "من", "على", "إلى", "الى", "أن", "إن", "ان", "عن", "مع", "ما", "لا", "لم", "لن", "قد",
            "هذا", "هذه", "ذلك", "تلك", "التي", "الذي", "الذين", "هو", "هي", "هم", "كان", "كانت", "أو", "ثم",
            "بين", "كل", "حتى", "إذا", "منذ", "عند", "بعد", "قبل", "أي", "و", "ف", "ب", "ل",
        ]
        return Set(written.map(analyzer.normalize))
    }()

    /// Whether `term`, as the analyzer emits it (normalized and respelled), is a stopword.
    public static func contains(_ term: String) -> Bool {
        words.contains(term)
    }
}
