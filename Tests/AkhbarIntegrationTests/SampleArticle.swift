/// Made-up Arabic articles for drop-folder tests, each carrying Latin marker words that no seed
/// and no other sample contains, so a search for a marker finds exactly that file.
enum SampleArticle {
    static func text(title marker: String, body bodyMarker: String? = nil) -> String {
        """
        خبر تجريبي عن اجتماع اللجنة \(marker)

        قال المتحدث باسم اللجنة إن الاجتماع ناقش خطة العمل للمرحلة المقبلة \(bodyMarker ?? marker).
        وأضاف أن اللجنة ستعقد اجتماعها القادم الشهر المقبل.

        """
    }
}
