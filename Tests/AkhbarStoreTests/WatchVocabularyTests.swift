import Testing

@testable import AkhbarStore

/// The watches' vocabulary finds a term only by all of its bytes: terms longer than the bytes a
/// slot keeps, and terms that share those first bytes, are told apart by the rest.
struct WatchVocabularyTests {
    private func numbers(of term: String, in vocabulary: WatchVocabulary) -> [Int32] {
        var found: [Int32] = []
        Array(term.utf8).withUnsafeBufferPointer { bytes in vocabulary.numbers(of: bytes) { found.append($0) } }
        return found
    }

    @Test func longTermsAreToldApartByTheirLastBytes() {
        var vocabulary = WatchVocabulary()
        // 28 and 30 bytes, the first 26 the same: longer than the bytes a slot keeps.
        let long = "والاستخباراتية"
        let longer = "والاستخباراتيين"
        let short = "ليبيا"
        let ids = [long, longer, short].map { vocabulary.number(term: IndexTerm($0)) }
        #expect(Set(ids).count == 3)
        #expect(vocabulary.number(term: IndexTerm(longer)) == ids[1], "numbered once")
        #expect(numbers(of: long, in: vocabulary) == [ids[0]])
        #expect(numbers(of: longer, in: vocabulary) == [ids[1]])
        #expect(numbers(of: short, in: vocabulary) == [ids[2]])
        // Same first bytes and length as `long`, another last letter; a term cut short; nothing.
        #expect(numbers(of: "والاستخباراتيه", in: vocabulary).isEmpty)
        #expect(numbers(of: "والاستخبارات", in: vocabulary).isEmpty)
        #expect(numbers(of: "ليبي", in: vocabulary).isEmpty)
        #expect(numbers(of: "", in: vocabulary).isEmpty)
        #expect(vocabulary.count == 3)
    }

    @Test func aPrefixIsFoundInEveryTermStartingWithIt() {
        var vocabulary = WatchVocabulary()
        let prefix = vocabulary.number(prefix: IndexTerm("طراب"))
        let term = vocabulary.number(term: IndexTerm("طرابلس"))
        #expect(numbers(of: "طرابلس", in: vocabulary) == [term, prefix])
        #expect(numbers(of: "طرابلسية", in: vocabulary) == [prefix])
        #expect(numbers(of: "طراب", in: vocabulary) == [prefix], "a whole term the same bytes as the prefix")
        #expect(numbers(of: "طرا", in: vocabulary).isEmpty)
    }

    @Test func manyTermsKeepTheirNumbersAsTheTableGrows() {
        var vocabulary = WatchVocabulary()
        let terms = (0..<5_000).map { "كلمة\($0)طويلة_بما_يكفي\($0 % 7)" }
        let ids = terms.map { vocabulary.number(term: IndexTerm($0)) }
        #expect(Set(ids).count == terms.count)
        for (term, id) in zip(terms, ids) where numbers(of: term, in: vocabulary) != [id] {
            Issue.record("\(term) lost its number \(id)")
        }
    }
}
