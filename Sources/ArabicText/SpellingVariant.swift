/// One rule that makes two spellings of the same word or name analyze alike, at index and query time.
///
/// Rules see words after normalization (no hamza, ه for ة, ي for ى), so they are written that way.
struct SpellingVariant: Sendable {
    enum Rule: Sendable {
        /// Replaces the first occurrence of `from` anywhere in a word, so attached prefixes and
        /// suffixes keep working (بأميركا, الأميركيين).
        case respell(from: String, to: String)
        /// Splits a word written as `head` + `tail`… into two terms at consecutive positions, so the
        /// joined and the spaced spelling match each other in phrases. An attached و ف ب ل ك may
        /// precede the head.
        case splitCompound(head: String, tail: String)
    }

    let rule: Rule
    /// Spellings this rule makes match each other; the tests check every group.
    let sameAs: [[String]]

    /// Every rule, in the order they apply.
    static let table: [SpellingVariant] = [
        .init(
            rule: .respell(from: "اميرك", to: "امريك"), sameAs: [["أميركا", "أمريكا"], ["الأميركية", "الأمريكية"]]),
        .init(rule: .respell(from: "اوروب", to: "اورب"), sameAs: [["أوروبا", "أوربا"], ["الأوروبي", "الأوربي"]]),
        .init(rule: .respell(from: "انكلتر", to: "انجلتر"), sameAs: [["إنكلترا", "إنجلترا"]]),
        .init(rule: .respell(from: "واشنطون", to: "واشنطن"), sameAs: [["واشنطون", "واشنطن"]]),
        .init(rule: .respell(from: "غوغل", to: "جوجل"), sameAs: [["غوغل", "جوجل"]]),
        .init(rule: .respell(from: "يونيه", to: "يونيو"), sameAs: [["يونيه", "يونيو"]]),
        .init(rule: .respell(from: "يوليه", to: "يوليو"), sameAs: [["يوليه", "يوليو"]]),
        .init(
            rule: .splitCompound(head: "عبد", tail: "ال"),
            sameAs: [["عبدالرازق", "عبد الرازق"], ["عبدالله", "عبد الله"]]),
        .init(rule: .splitCompound(head: "ابو", tail: "ال"), sameAs: [["أبوالقاسم", "أبو القاسم"]]),
    ]
}

/// The variant table compiled to bytes, with a cheap test that rules out most words at once.
struct CompiledVariants: Sendable {
    struct Respelling: Sendable {
        let from: [UInt8]
        let to: [UInt8]
        /// Letters `from` needs, as ``CompiledVariants/letterMask(_:)`` bits.
        let mask: UInt64
    }

    struct Compound: Sendable {
        let head: [UInt8]
        let tail: [UInt8]
    }

    let respellings: [Respelling]
    let compounds: [Compound]
    /// What may stand before a compound's head: nothing, or an attached و ف ب ل ك.
    let leads: [[UInt8]] = [[]] + ["و", "ف", "ب", "ل", "ك"].map { Array($0.utf8) }
    /// A compound's second part must keep at least this many letters after its tail (ال + two).
    let minimumTailLetters = 4
    /// The shortest word, in bytes, that could be a compound: most words are shorter, and every word
    /// of every text is checked.
    let shortestCompound: Int
    /// Where a compound's tail would start (after a lead and a head) and its bytes: a word without
    /// one of them there is no compound, which rules out nearly every word in one or two compares.
    let tailPlaces: [(offset: Int, tail: [UInt8])]
    /// Longest growth one word can get from all rules together.
    let maximumGrowth: Int

    static let shared = CompiledVariants(SpellingVariant.table)

    init(_ table: [SpellingVariant]) {
        var respellings: [Respelling] = []
        var compounds: [Compound] = []
        for variant in table {
            switch variant.rule {
            case .respell(let from, let to):
                let bytes = Array(from.utf8)
                respellings.append(
                    Respelling(from: bytes, to: Array(to.utf8), mask: bytes.withUnsafeBufferPointer(Self.letterMask)))
            case .splitCompound(let head, let tail):
                compounds.append(Compound(head: Array(head.utf8), tail: Array(tail.utf8)))
            }
        }
        self.respellings = respellings
        self.compounds = compounds
        let tail = 2 * minimumTailLetters
        shortestCompound = compounds.map { $0.head.count + tail }.min() ?? .max
        var places: [(offset: Int, tail: [UInt8])] = []
        for compound in compounds {
            for lead in leads {
                let offset = lead.count + compound.head.count
                if !places.contains(where: { $0.offset == offset && $0.tail == compound.tail }) {
                    places.append((offset, compound.tail))
                }
            }
        }
        tailPlaces = places
        maximumGrowth = respellings.reduce(0) { $0 + max(0, $1.to.count - $1.from.count) }
    }

    /// A bit per UTF-8 continuation byte value: distinct for every Arabic letter of U+0621–U+064A, so
    /// a word lacking one of a rule's letters is skipped without searching it.
    static func letterMask(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var mask: UInt64 = 0
        for byte in bytes where byte & 0xC0 == 0x80 {
            mask |= 1 << UInt64(byte & 0x3F)
        }
        return mask
    }

    /// Where to split a normalized word that is a joined compound, as a byte offset, or nil.
    func compoundSplit(_ word: UnsafeBufferPointer<UInt8>) -> Int? {
        guard word.count >= shortestCompound,
            tailPlaces.contains(where: { place in
                place.offset + place.tail.count <= word.count
                    && word[place.offset..<(place.offset + place.tail.count)].elementsEqual(place.tail)
            })
        else { return nil }
        for compound in compounds {
            for lead in leads {
                let split = lead.count + compound.head.count
                guard word.count >= split + 2 * minimumTailLetters,
                    word[0..<lead.count].elementsEqual(lead),
                    word[lead.count..<split].elementsEqual(compound.head),
                    word[split..<(split + compound.tail.count)].elementsEqual(compound.tail)
                else { continue }
                var tailLetters = 0
                for byte in word[split...] where byte & 0xC0 != 0x80 { tailLetters += 1 }
                if tailLetters >= minimumTailLetters { return split }
            }
        }
        return nil
    }

    /// Applies every matching respelling to `word[0..<count]` in place and returns the new length.
    /// `word` must have room for the longest growth of the rules.
    func respell(_ word: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        var count = count
        let mask = Self.letterMask(UnsafeBufferPointer(start: word, count: count))
        for rule in respellings where rule.mask & mask == rule.mask && rule.from.count <= count {
            guard let at = firstIndex(of: rule.from, in: word, count: count) else { continue }
            shift(word, from: at + rule.from.count, to: at + rule.to.count, through: count)
            for (index, byte) in rule.to.enumerated() { word[at + index] = byte }
            count += rule.to.count - rule.from.count
        }
        return count
    }

    /// Moves `word[source..<end]` to start at `destination`, in the direction that never overwrites
    /// bytes still to be moved.
    private func shift(_ word: UnsafeMutablePointer<UInt8>, from source: Int, to destination: Int, through end: Int) {
        let count = end - source
        if destination < source {
            for index in 0..<count { word[destination + index] = word[source + index] }
        } else if destination > source {
            for index in stride(from: count - 1, through: 0, by: -1) {
                word[destination + index] = word[source + index]
            }
        }
    }

    private func firstIndex(of pattern: [UInt8], in word: UnsafeMutablePointer<UInt8>, count: Int) -> Int? {
        guard pattern.count <= count else { return nil }
        outer: for start in 0...(count - pattern.count) {
            for (index, byte) in pattern.enumerated() where word[start + index] != byte { continue outer }
            return start
        }
        return nil
    }
}
