/// What the tokenizer does with one Unicode scalar.
enum ScalarKind: UInt8 {
    /// Ends the current word (spaces, punctuation, symbols, emoji, controls).
    case separator
    /// Part of a word and kept as written.
    case letter
    /// Part of a word, written as a replacement (case folded, unified or decomposed).
    case mapped
    /// Part of a word but dropped from the term (harakat, tatweel, accents).
    case mark
    /// Dropped without ending a word (zero-width and bidi controls).
    case invisible
    /// A ligature standing for several words; its replacement holds spaces.
    case phrase
}

/// One scalar's entry: its kind and, for `mapped` and `phrase`, where its replacement bytes are.
struct ScalarEntry {
    var kind: ScalarKind
    var length: UInt8
    var offset: UInt16

    static let separator = ScalarEntry(kind: .separator, length: 0, offset: 0)
}

/// Per-scalar lookup for the whole Basic Multilingual Plane, built once, so the tokenizer's inner loop
/// is a table read instead of Unicode property queries or `String` work.
///
/// Normalization lives here: every rule (hamza forms, alef maqsura, teh marbuta, harakat,
/// tatweel, look-alike letters, digits, presentation forms, Latin case and accents) is folded into the
/// replacement of a single scalar, so index and query share it by construction.
///
/// The two buffers are written once in `init` and never freed or changed afterwards, which is what makes
/// sharing them between threads safe and lets the tokenizer read them without bounds or ownership checks.
struct ScalarTable: @unchecked Sendable {
    /// Entries for U+0000 to U+FFFF.
    let entries: UnsafeBufferPointer<ScalarEntry>
    /// Replacement bytes (UTF-8) that `mapped` and `phrase` entries point into.
    let replacements: UnsafeBufferPointer<UInt8>

    static let shared = ScalarTable()

    /// Arabic letters folded to another letter. Everything else Arabic keeps its own form unless it is a
    /// mark or a digit.
    static let arabicFolds: [UInt32: UInt32] = [
        0x0622: 0x0627, 0x0623: 0x0627, 0x0625: 0x0627,  // آ أ إ → ا
        0x0671: 0x0627, 0x0672: 0x0627, 0x0673: 0x0627, 0x0675: 0x0627,  // ٱ and wavy/high hamza alefs → ا
        0x0649: 0x064A,  // ى → ي
        0x0629: 0x0647,  // ة → ه
        0x0624: 0x0648, 0x0676: 0x0648,  // ؤ → و
        0x0626: 0x064A, 0x0678: 0x064A,  // ئ → ي
        0x06A9: 0x0643, 0x06AA: 0x0643,  // Persian and swash kaf ک → ك
        0x06CC: 0x064A,  // Farsi yeh ی → ي
        0x06C0: 0x0647,  // ۀ → ه
    ]

    /// Ligatures whose Unicode names do not spell their letters; their compatibility decompositions.
    static let namedLigatures: [UInt32: String] = [
        0xFDF0: "صلے", 0xFDF1: "قلے", 0xFDF2: "الله", 0xFDF3: "اكبر", 0xFDF4: "محمد",
        0xFDF5: "صلعم", 0xFDF6: "رسول", 0xFDF7: "عليه", 0xFDF8: "وسلم", 0xFDF9: "صلى",
        0xFDFA: "صلى الله عليه وسلم", 0xFDFB: "جل جلاله", 0xFDFC: "ریال",
        0xFE71: "\u{0640}\u{064B}",  // tatweel with fathatan
        0xFBE8: "ى", 0xFBE9: "ى", 0xFBF9: "ئى", 0xFBFA: "ئى", 0xFBFB: "ئى",  // Uighur alef maksura forms
    ]

    private init() {
        var builder = Builder()
        builder.build()
        entries = UnsafeBufferPointer(Self.immortalCopy(of: builder.entries))
        replacements = UnsafeBufferPointer(Self.immortalCopy(of: builder.replacements))
    }

    private static func immortalCopy<Element>(of array: [Element]) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: array.count)
        _ = buffer.initialize(from: array)
        return buffer
    }

    /// The replacement bytes of a `mapped` or `phrase` entry.
    func replacement(of entry: ScalarEntry) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: replacements[Int(entry.offset)..<Int(entry.offset) + Int(entry.length)])
    }

    /// The kind of a scalar outside the BMP, found through Unicode properties (these are rare in news,
    /// and such letters are kept as written).
    static func kind(ofSupplementary scalar: Unicode.Scalar) -> ScalarKind {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber:
            return .letter
        case .nonspacingMark, .spacingMark, .enclosingMark:
            return .mark
        case .format:
            return .invisible
        default:
            return .separator
        }
    }

    private struct Builder {
        var entries = [ScalarEntry](repeating: .separator, count: 0x10000)
        var replacements: [UInt8] = []
        /// Scalars of the base blocks by name, to resolve presentation forms and accented Latin letters.
        var byName: [String: Unicode.Scalar] = [:]

        mutating func build() {
            for value in UInt32(0x20)...0x24F { index(value) }
            for value in UInt32(0x600)...0x6FF { index(value) }
            for value in UInt32(0)...0xFFFF {
                guard let scalar = Unicode.Scalar(value) else { continue }
                entries[Int(value)] = baseEntry(scalar)
            }
            // Decompositions refer to base letters, so they are resolved after every base entry exists.
            for value in UInt32(0)...0xFFFF {
                guard let scalar = Unicode.Scalar(value), let parts = decomposition(of: scalar) else { continue }
                entries[Int(value)] = compose(parts)
            }
        }

        private mutating func index(_ value: UInt32) {
            if let scalar = Unicode.Scalar(value), let name = scalar.properties.name {
                byName[name] = scalar
            }
        }

        /// The entry for a scalar on its own, before compatibility decomposition.
        private mutating func baseEntry(_ scalar: Unicode.Scalar) -> ScalarEntry {
            let value = scalar.value
            switch value {
            case 0x0640, 0x064B...0x065F, 0x0670:
                return ScalarEntry(kind: .mark, length: 0, offset: 0)
            case 0x0660...0x0669:
                return mapped(String(Unicode.Scalar(UInt8(0x30 + value - 0x0660))))
            case 0x06F0...0x06F9:
                return mapped(String(Unicode.Scalar(UInt8(0x30 + value - 0x06F0))))
            default:
                break
            }
            if let fold = ScalarTable.arabicFolds[value], let target = Unicode.Scalar(fold) {
                return mapped(String(target))
            }
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark:
                return ScalarEntry(kind: .mark, length: 0, offset: 0)
            case .format:
                return ScalarEntry(kind: .invisible, length: 0, offset: 0)
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .decimalNumber, .letterNumber, .otherNumber:
                if scalar.properties.changesWhenLowercased {
                    return mapped(scalar.properties.lowercaseMapping)
                }
                return ScalarEntry(kind: .letter, length: 0, offset: 0)
            default:
                return .separator
            }
        }

        /// The scalars a presentation form, fullwidth form or accented Latin letter stands for, read from
        /// its Unicode name (the standard library has no compatibility decomposition).
        private func decomposition(of scalar: Unicode.Scalar) -> [Unicode.Scalar]? {
            let value = scalar.value
            if let text = ScalarTable.namedLigatures[value] { return Array(text.unicodeScalars) }
            let isPresentationForm = (0xFB50...0xFDFF).contains(value) || (0xFE70...0xFEFE).contains(value)
            let isFullwidth = (0xFF01...0xFF5E).contains(value)
            let isAccentedLatin = (0xC0...0x24F).contains(value) || (0x1E00...0x1EFF).contains(value)
            guard isPresentationForm || isFullwidth || isAccentedLatin, var name = scalar.properties.name else {
                return nil
            }
            if isFullwidth {
                return byName[String(name.dropFirst("FULLWIDTH ".count))].map { [$0] }
            }
            if isAccentedLatin {
                // Titlecase digraphs (Dž) name a second letter after WITH and are only lowercased.
                guard let with = name.firstRange(of: " WITH "),
                    !name.contains("SMALL LETTER") || !name.contains("CAPITAL")
                else { return nil }
                return byName[String(name[..<with.lowerBound])].map { [$0] }
            }
            for form in [" ISOLATED FORM", " FINAL FORM", " INITIAL FORM", " MEDIAL FORM"] where name.hasSuffix(form) {
                name.removeLast(form.count)
            }
            if let whole = byName[name] { return [whole] }
            for prefix in ["ARABIC LIGATURE ", "ARABIC "] where name.hasPrefix(prefix) {
                return splitLetters(String(name.dropFirst(prefix.count)))
            }
            return nil
        }

        /// Splits "YEH WITH HAMZA ABOVE WITH ALEF" into ئ and ا, taking the longest known name first.
        private func splitLetters(_ body: String) -> [Unicode.Scalar]? {
            let parts = body.split(separator: " WITH ").map(String.init)
            var result: [Unicode.Scalar] = []
            var start = 0
            while start < parts.count {
                var found = false
                for end in stride(from: parts.count, to: start, by: -1) {
                    let candidate = parts[start..<end].joined(separator: " WITH ")
                    if let scalar = byName["ARABIC LETTER " + candidate] ?? byName["ARABIC " + candidate] {
                        result.append(scalar)
                        start = end
                        found = true
                        break
                    }
                }
                if !found { return nil }
            }
            return result
        }

        /// Combines the base entries of a decomposition into one entry.
        private mutating func compose(_ parts: [Unicode.Scalar]) -> ScalarEntry {
            var bytes: [UInt8] = []
            var isPhrase = false
            if parts.allSatisfy({ entries[Int($0.value)].kind == .separator }) { return .separator }
            for part in parts {
                let entry = entries[Int(part.value)]
                switch entry.kind {
                case .letter:
                    bytes.append(contentsOf: String(part).utf8)
                case .mapped:
                    bytes.append(contentsOf: replacements[Int(entry.offset)..<Int(entry.offset) + Int(entry.length)])
                case .separator:
                    bytes.append(0x20)
                    isPhrase = true
                case .mark, .invisible, .phrase:
                    break
                }
            }
            if bytes.isEmpty { return ScalarEntry(kind: .mark, length: 0, offset: 0) }
            var entry = store(bytes)
            entry.kind = isPhrase ? .phrase : .mapped
            return entry
        }

        private mutating func mapped(_ text: String) -> ScalarEntry {
            store(Array(text.utf8))
        }

        private mutating func store(_ bytes: [UInt8]) -> ScalarEntry {
            let offset = replacements.count
            replacements.append(contentsOf: bytes)
            precondition(replacements.count <= Int(UInt16.max) && bytes.count <= Int(UInt8.max))
            return ScalarEntry(kind: .mapped, length: UInt8(bytes.count), offset: UInt16(offset))
        }
    }
}
