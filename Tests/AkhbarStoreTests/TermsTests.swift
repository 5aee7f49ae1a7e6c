import AkhbarProtocol
import ArabicText
import Articles
import Foundation
import Testing

@testable import AkhbarStore

/// `Terms` on a store the test builds: 40 articles on oil prices among 160 on other things, with
/// counts the test knows.
struct TermsTests {
    let store: ArticleStore
    let temporary: TemporaryFolder

    /// Oil articles: how each writes the refineries, and whether it says "أسعار النفط".
    static func oilBody(_ index: Int) -> String {
        // 25 write للمصافي, 10 المصافي, 5 والمصافي: one word, its most common form للمصافي.
        let refineries = index < 25 ? "للمصافي" : index < 35 ? "المصافي" : "والمصافي"
        let sentence = index.isMultiple(of: 2) ? "تراجعت أسعار النفط" : "ارتفعت أسعار النفط"
        return "\(sentence) في السوق اليوم إلى 60 دولارا بعد قرار منظمة أوبك خفض الإنتاج \(refineries) الكبرى."
            + (index == 0 ? " وقال محمد ﷺ في الحديث إن السوق تتغير." : "")
    }

    /// Everything else: a word of its own, shared words, and three that also mention oil prices.
    static func otherBody(_ index: Int) -> String {
        let topics = [
            "مباراة كرة القدم في الملعب", "افتتاح معرض الكتاب في المدينة", "حالة الطقس غدا في المنطقة",
            "اجتماع المجلس البلدي في السوق القديم",
        ]
        return "\(topics[index % topics.count]) اليوم بحضور عدد من المسؤولين رقم \(index)."
            + (index < 3 ? " وتحدث الحضور عن أسعار النفط." : "")
    }

    init() async throws {
        temporary = try TemporaryFolder("akhbar-terms")
        store = try ArticleStore(path: temporary.path + "/store.sqlite")
        var items: [IngestItem] = []
        for index in 0..<160 {
            items.append(
                Self.item(items.count, title: "خبر محلي \(index)", body: Self.otherBody(index), outlet: "عكاظ"))
            if index < 40 {
                items.append(
                    Self.item(items.count, title: "النفط \(index)", body: Self.oilBody(index), outlet: "الاقتصادية"))
            }
        }
        _ = try await store.apply(items)
    }

    private static func item(_ index: Int, title: String, body: String, outlet: String) -> IngestItem {
        let article = Article(title: title, body: body, outlet: outlet, original: "\(title)\n\(outlet)\n\n\(body)")
        return .parsed(
            path: "/d/\(index).txt", stamp: FileStamp(inode: UInt64(index + 1), size: 1, mtime: 1),
            file: PreparedFile(DropFile(items: [.init(position: 0, content: .article(article))])))
    }

    private func terms(_ query: String?, outlet: String? = nil, sampleSize: Int = TermsReply.sampleSize)
        async throws -> TermsReply
    {
        try await store.terms(TermsParameters(query: query, outlet: outlet, limit: 50), sampleSize: sampleSize)
    }

    @Test func phrasesAndInflectedWordsStandOutWithExactCounts() async throws {
        let reply = try await terms("أوبك")
        #expect(reply.matched == 40 && reply.analyzed == 40 && reply.archive == 200)
        let byText = Dictionary(reply.terms.map { ($0.text, $0) }, uniquingKeysWith: { first, _ in first })
        let phrase = try #require(byText["أسعار النفط"], "\(reply.terms.map(\.text))")
        #expect(phrase.words == 2 && phrase.count == 40 && phrase.archive == 43)
        // One word for every form of the refineries, shown as most articles write it.
        let refineries = try #require(byText["للمصافي"], "\(reply.terms.map(\.text))")
        #expect(refineries.words == 1 && refineries.count == 40 && refineries.archive == 40)
        #expect(byText["المصافي"] == nil && byText["والمصافي"] == nil)
        // Most significant first, every score significant.
        #expect(reply.terms.map(\.score) == reply.terms.map(\.score).sorted(by: >))
        #expect(reply.terms.allSatisfy { $0.score >= 10.83 })
    }

    @Test func stopwordsNumbersAndWordsCommonEverywhereAreLeftOut() async throws {
        let texts = Set(try await terms("أوبك").terms.map(\.text))
        #expect(!texts.contains("في") && !texts.contains("إلى") && !texts.contains("60"))
        // اليوم is in every article, السوق in a quarter of the others too: neither stands out as much
        // as the words only oil articles use.
        #expect(!texts.contains("اليوم"))
        #expect(!texts.contains { $0.split(separator: " ").contains("في") })
    }

    @Test func aSampleIsReadButArchiveCountsStayExact() async throws {
        let reply = try await terms("أوبك", sampleSize: 10)
        #expect(reply.matched == 40 && reply.analyzed == 10)
        let phrase = try #require(reply.terms.first { $0.text == "أسعار النفط" })
        #expect(phrase.count == 10 && phrase.archive == 43)
    }

    @Test func aFilterAloneSelectsArticles() async throws {
        let reply = try await terms(nil, outlet: "الاقتصادية")
        #expect(reply.matched == 40)
        #expect(reply.terms.contains { $0.text == "أسعار النفط" })
    }

    @Test func noMatchOrEveryArticleGivesNoTerms() async throws {
        let none = try await terms("زلزال")
        #expect(none.matched == 0 && none.terms.isEmpty)
        // Every article has اليوم: nothing is left to compare with.
        let all = try await terms("اليوم")
        #expect(all.matched == 200 && all.terms.isEmpty)
    }

    @Test func aRequestWithoutQueryOrFilterIsRefused() throws {
        #expect(throws: VarlinkError.self) { try TermsParameters(query: "  ").validated() }
        #expect(throws: VarlinkError.self) { try TermsParameters(query: "أوبك", limit: 0).validated() }
        #expect(throws: Never.self) { try TermsParameters(since: "2015-07-01").validated() }
    }
}

/// The tally on text a scraper might leave: ligatures that stand for several words, hashtags,
/// invisible characters, marks without letters and long runs; it must count without trapping.
struct TermTallyRobustnessTests {
    @Test func radixSortSortsLikeSort() {
        var generator = SystemRandomNumberGenerator()
        for count in [0, 1, 2, 100, 5_000] {
            var values = (0..<count).map { _ in
                PairCounts.pack(Int32.random(in: 0..<70_000, using: &generator), Int32.random(in: 0..<70_000))
            }
            values += [.max, 0, 1 << 63]
            let sorted = values.sorted()
            TermTally.radixSort(&values)
            #expect(values == sorted)
            // Packed tight, as phrases are before they are counted: 34 bits.
            var packed = (0..<count).map { _ in UInt64.random(in: 0..<(1 << 34), using: &generator) }
            let packedSorted = packed.sorted()
            TermTally.radixSort(&packed, significantBits: 34)
            #expect(packed == packedSorted)
        }
    }

    @Test func hostileTextIsCountedWithoutTrapping() {
        let pieces = [
            "ﷺ", "ﷲ", "عبدالله", "#وسم", "\u{200D}", "\u{200F}", "\u{064E}\u{0651}", "ـــ", "١٢٣", "123", "في",
            "أسعار", "النفط", "Oil", "\u{FEFF}", " ", "  ", "\n", "،", ".", "\u{0000}", "😀", "ٱلْحَمْدُ",
        ]
        var generator = SystemRandomNumberGenerator()
        let analyzer = ArabicAnalyzer()
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 0...80, using: &generator)).map { _ in pieces.randomElement()! }
                .joined(separator: Bool.random() ? " " : "")
            var tally = TermTally(pairs: true, keepsForms: true)
            tally.add(Data(text.utf8), analyzer: analyzer)
            tally.add(Data((text + " " + text).utf8), analyzer: analyzer)
            tally.finishPairs(minimum: 1)
            let terms = tally.terms(minimum: 1)
            let forms = tally.forms(
                of: terms.map(\.term), from: tally, texts: [Data(text.utf8), Data((text + " " + text).utf8)])
            // Every counted term is written somewhere, in at most both articles.
            #expect(terms.allSatisfy { $0.articles <= 2 && forms[$0.term] != nil }, "\(text.debugDescription)")
        }
    }

    /// A tally knows a word by its 64-bit hash alone (``WordKeys``): distinct words must not share
    /// one. These pairs did under a hash that folded raw eight-byte chunks into its state.
    @Test func distinctWordsHaveDistinctHashes() {
        let pairs = [("والارضية", "والترطيب"), ("بالتوليد", "بالشوقية"), ("المشاريف", "المرازيق")]
        for (one, two) in pairs {
            #expect(Self.hash(one) != Self.hash(two), "\(one) \(two)")
        }
        // Words of eight Arabic letters after a common proclitic, as many as a large request sees.
        let letters = Array("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")
        var generator = SystemRandomNumberGenerator()
        var seen: [UInt64: String] = [:]
        for _ in 0..<300_000 {
            let word = "وال" + String((0..<8).map { _ in letters.randomElement(using: &generator)! })
            let hash = Self.hash(word)
            if let other = seen[hash], other != word { Issue.record("\(other) and \(word) share a hash") }
            seen[hash] = word
        }
    }

    private static func hash(_ word: String) -> UInt64 {
        var word = word
        return word.withUTF8 { TermInterner.hash($0) }
    }
}
