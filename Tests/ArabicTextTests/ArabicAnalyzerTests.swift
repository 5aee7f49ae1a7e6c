import Testing

@testable import ArabicText

@Suite struct ArabicAnalyzerTests {
    let analyzer = ArabicAnalyzer()
    let marker = String(ArabicAnalyzer.stemMarker)

    private func original(_ text: String, _ range: Range<Int>) -> String {
        String(decoding: Array(text.utf8)[range], as: UTF8.self)
    }

    @Test func rangesPointAtTheOriginalDiacritizedBytes() {
        let text = "قال إنه تعثّرت المفاوضات"
        let terms = analyzer.terms(in: text, mode: .query)
        #expect(terms.map(\.term) == ["قال", "انه", "تعثرت", "المفاوضات"])
        #expect(terms.map { original(text, $0.range) } == ["قال", "إنه", "تعثّرت", "المفاوضات"])
    }

    @Test func heavyTashkeelStaysOneWord() {
        let text = "وَالْمُؤَسَّسَةُ الْعَسْكَرِيَّةُ"
        let terms = analyzer.terms(in: text, mode: .query)
        #expect(terms.map(\.term) == ["والموسسه", "العسكريه"])
        #expect(terms.map { original(text, $0.range) } == ["وَالْمُؤَسَّسَةُ", "الْعَسْكَرِيَّةُ"])
    }

    @Test func invisibleControlsAtWordEdgesAreNotInTheRange() {
        let text = "\u{200F}ليبيا\u{200F} مصر"
        let terms = analyzer.terms(in: text, mode: .query)
        #expect(terms.map { original(text, $0.range) } == ["ليبيا", "مصر"])
    }

    /// Counting words reads them normalized and respells each distinct one once: together that is
    /// query analysis, word for word.
    @Test func wordsRespelledAreQueryAnalysis() {
        let texts = [
            "قال عبدالله بن محمد إن أسعار النفط ارتفعت في المملكة العربية السعودية",
            "ٱلْحَمْدُ لِلَّهِ ﷺ، وذكرت الصحيفة أن إلكترونية المصافي 123 Oil",
            "مسؤول ، مسئول ، هيئة ، هيئه ، أبوظبي و أبو ظبي ــ عبد الرحمن",
        ]
        let analyzer = ArabicAnalyzer()
        for text in texts {
            var copy = text
            var counted: [String] = []
            var ranges: [Range<Int>] = []
            copy.withUTF8 { bytes in
                analyzer.words(utf8: bytes) { word, range in
                    counted.append(analyzer.respelled(word) { String(decoding: $0, as: UTF8.self) })
                    ranges.append(range)
                }
            }
            let query = analyzer.terms(in: text, mode: .query)
            #expect(counted == query.map(\.term))
            #expect(ranges == query.map(\.range))
        }
    }

    @Test func documentModeColocatesTheMarkedStem() {
        let terms = analyzer.terms(in: "بالحسن وحسن حسن", mode: .document)
        #expect(terms.map(\.term) == ["بالحسن", marker + "حسن", "وحسن", marker + "حسن", "حسن"])
        #expect(terms.map(\.colocated) == [false, true, false, true, false])
        #expect(terms[0].range == terms[1].range)
    }

    /// A reader that wants only some stems gets every surface term and exactly those stem terms
    /// that full analysis gives and that it wants, at the same positions.
    @Test func onlyTheWantedStemsAreComputed() {
        let text = "بالحسن وحسن حسن والمؤسسات العسكرية تعثّرت المفاوضات في طرابلس وبنغازي والمفاوضين عبدالله"
        func analyzed(_ wanted: [[UInt8]]?) -> [AnalyzedTerm] {
            var copy = text
            var result: [AnalyzedTerm] = []
            copy.withUTF8 { utf8 in
                analyzer.analyze(utf8: utf8, mode: .document, stemsAmong: wanted) { term, range, colocated in
                    result.append(
                        AnalyzedTerm(term: String(decoding: term, as: UTF8.self), range: range, colocated: colocated))
                }
            }
            return result
        }
        let all = analyzed(nil)
        let wanted = ["حسن", "مفاوض"]
        #expect(all.contains { $0.term == marker + "مفاوض" })
        let some = analyzed(wanted.map { Array($0.utf8) })
        #expect(some == all.filter { !$0.colocated || wanted.contains(String($0.term.dropFirst())) })
        #expect(some.filter(\.colocated).count == 4)
        #expect(analyzed([]) == all.filter { !$0.colocated })
    }

    /// Counting words without analyzing them finds each word where full analysis puts it: compound
    /// names, ligatures of several words, marks, invisible controls and invalid bytes included.
    @Test func aWordIsFoundWhereAnalysisNumbersIt() {
        var text = "وقال عبدالله: «محمد ﷺ» تَعَثَّرَت\u{200F} المفاوضات، في طرابلس 2024 و Tripoli!"
        let starts = analyzer.terms(in: text, mode: .document).filter { !$0.colocated }.map(\.range.lowerBound)
        #expect(starts.count == 15)
        text.withUTF8 { utf8 in
            for (position, start) in starts.enumerated() {
                let found = analyzer.start(ofWord: position, in: utf8)
                #expect(found?.offset == start, "word \(position)")
                // The four words of ﷺ share one start: the first of them is where analysis resumes.
                #expect(found?.word == starts.firstIndex(of: start), "word \(position)")
            }
            #expect(analyzer.start(ofWord: starts.count, in: utf8) == nil)
        }
        let invalid: [UInt8] = [0xD9, 0x85, 0xFF, 0xD9, 0x86, 0x20, 0xC0, 0xD9, 0x84]
        invalid.withUnsafeBufferPointer { utf8 in
            var starts: [Int] = []
            analyzer.analyze(utf8: utf8, mode: .document) { _, range, colocated in
                if !colocated { starts.append(range.lowerBound) }
            }
            #expect(starts.count == 3)
            #expect(starts.indices.map { analyzer.start(ofWord: $0, in: utf8)?.offset } == starts)
        }
    }

    @Test func queryModeEmitsSurfaceFormsOnly() {
        #expect(analyzer.terms(in: "بالحسن الأميركية", mode: .query).map(\.term) == ["بالحسن", "الامريكيه"])
    }

    @Test func queryModePassesMarkedStemsThrough() {
        let terms = analyzer.terms(in: marker + "حسن " + marker + "امريك", mode: .query)
        #expect(terms.map(\.term) == [marker + "حسن", marker + "امريك"])
        #expect(terms.allSatisfy { !$0.colocated })
    }

    @Test func documentsNeverProduceAMarkedSurfaceForm() {
        let terms = analyzer.terms(in: "#ليبيا ##مصر", mode: .document)
        #expect(terms.map(\.term) == ["ليبيا", "مصر"])
    }

    @Test func separatorsAndScripts() {
        let text = "«5+5» قال: مرحبا، world! 😀ليبيا 日本語"
        #expect(
            analyzer.terms(in: text, mode: .query).map(\.term) == ["5", "5", "قال", "مرحبا", "world", "ليبيا", "日本語"])
    }

    @Test func invalidUTF8SeparatesWordsAndNeverTraps() {
        let bytes: [UInt8] = Array("مصر".utf8) + [0xFF, 0xC3] + Array("ليبيا".utf8) + [0xE2, 0x80]
        var terms: [String] = []
        bytes.withUnsafeBufferPointer { buffer in
            analyzer.analyze(utf8: buffer, mode: .query) { term, range, _ in
                terms.append(String(decoding: term, as: UTF8.self))
                #expect(range.upperBound <= bytes.count)
            }
        }
        #expect(terms == ["مصر", "ليبيا"])
    }

    @Test func aLigatureOfSeveralWordsYieldsEachWord() {
        #expect(analyzer.terms(in: "محمد ﷺ", mode: .query).map(\.term) == ["محمد", "صلي", "الله", "عليه", "وسلم"])
    }

    @Test func veryLongWordsGrowTheBuffer() {
        let word = String(repeating: "ب", count: 5000)
        #expect(analyzer.terms(in: word, mode: .document).map(\.term) == [word])
    }

    /// FTS5 re-tokenizes what the query builder quotes, so each query term must read back as itself.
    @Test func queryTermsReadBackUnchanged() {
        let text = "الأميركية عبدالرازق تعثّرت ﻻ ٢٠٢٥ Café ولداً واشنطون"
        for term in analyzer.terms(in: text, mode: .query).map(\.term) {
            #expect(analyzer.terms(in: term, mode: .query).map(\.term) == [term])
        }
        for term in analyzer.terms(in: text, mode: .document).map(\.term) where term.hasPrefix(marker) {
            #expect(analyzer.terms(in: term, mode: .query).map(\.term) == [term])
        }
    }
}
