import Testing

@testable import Articles

/// Plain-text shapes that scrapers leave, built in the test.
@Suite struct PlainTextArticleReaderTests {
    /// Numbered paragraphs ("1. …"), the first line a flattened copy of them all: every first
    /// sentence used to be its number alone, so the file was rejected as having only header lines.
    @Test func numberedParagraphsMakeAnArticle() throws {
        let paragraphs = (1...14).map { number in
            "\(number). نصيحة رقم \(number) في احترام الذات: اكتب ما أنجزته اليوم وكافئ نفسك عليه، ثم ضع هدفا للغد."
        }
        let text = paragraphs.joined() + "\n" + paragraphs.joined(separator: "\n") + "\n"
        let article = try parseArticle(text)
        #expect(article.titleIsDerived)
        #expect(article.title == "نصيحة رقم 1 في احترام الذات: اكتب ما أنجزته اليوم وكافئ نفسك عليه، ثم ضع هدفا للغد.")
        #expect(article.body.contains("14. نصيحة رقم 14"))
    }

    /// A number that is a year or a decimal opens the title as written.
    @Test(arguments: ["2015. عام الحزم في اليمن", "3.5 مليون زائر لمهرجان الصيف"])
    func numbersThatAreNoListNumbersStay(_ opening: String) throws {
        let text = "\(opening) وتفاصيل أخرى في هذا الخبر الطويل"
        let article = try parseArticle(text + "\n\n" + text + " مرة أخرى.")
        #expect(article.title.hasPrefix(opening.prefix(4)))
    }
}
