import Testing

@testable import ArabicText

@Suite struct SpellingVariantTests {
    let analyzer = ArabicAnalyzer()

    /// One case per row of the variant table: every spelling group of the row analyzes alike.
    @Test(arguments: SpellingVariant.table.indices)
    func row(index: Int) {
        let variant = SpellingVariant.table[index]
        #expect(!variant.sameAs.isEmpty)
        for group in variant.sameAs {
            let analyses = group.map { analyzer.terms(in: $0, mode: .query).map(\.term) }
            #expect(Set(analyses).count == 1, "\(group) → \(analyses)")
            let stems = group.map { analyzer.terms(in: $0, mode: .document).map(\.term) }
            #expect(Set(stems).count == 1, "\(group) → \(stems)")
        }
        // The rules are written in normalized form, or they could never match.
        switch variant.rule {
        case .respell(let from, let to):
            #expect(analyzer.normalize(from) == from && analyzer.normalize(to) == to)
        case .splitCompound(let head, let tail):
            #expect(analyzer.normalize(head) == head && analyzer.normalize(tail) == tail)
        }
    }

    @Test func respellingKeepsAttachedLetters() {
        #expect(analyzer.terms(in: "بأميركا", mode: .query).map(\.term) == ["بامريكا"])
        #expect(analyzer.terms(in: "الأميركيين", mode: .query).map(\.term) == ["الامريكيين"])
    }

    @Test func joinedCompoundBecomesTwoPositionsWithTheirOwnRanges() {
        let text = "عبدالرازق"
        let terms = analyzer.terms(in: text, mode: .query)
        #expect(terms.map(\.term) == ["عبد", "الرازق"])
        #expect(terms.map(\.colocated) == [false, false])
        #expect(terms.map(\.range) == [0..<6, 6..<18])
    }

    @Test func compoundWithAttachedConjunction() {
        #expect(analyzer.terms(in: "وعبدالله", mode: .query).map(\.term) == ["وعبد", "الله"])
    }

    @Test func compoundRangeKeepsMarksWithTheirLetter() {
        let text = "عبدُالله"
        let terms = analyzer.terms(in: text, mode: .query)
        #expect(terms.map(\.term) == ["عبد", "الله"])
        let utf8 = Array(text.utf8)
        #expect(String(decoding: utf8[terms[0].range], as: UTF8.self) == "عبدُ")
        #expect(String(decoding: utf8[terms[1].range], as: UTF8.self) == "الله")
    }

    @Test func wordsThatOnlyLookLikeCompoundsStayWhole() {
        #expect(analyzer.terms(in: "عبدال", mode: .query).map(\.term) == ["عبدال"])
        #expect(analyzer.terms(in: "عبد", mode: .query).map(\.term) == ["عبد"])
    }
}
