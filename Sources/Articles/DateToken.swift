/// A piece of a line as the date and dateline parsers see it: a number (any digit script), a word
/// (normalized for matching), or a single symbol. `range` is in unicode-scalar offsets of the line.
struct DateToken: Sendable {
    enum Kind: Sendable, Equatable {
        case number(Int, digits: Int)
        case word(String)
        case symbol(Unicode.Scalar)
    }

    var kind: Kind
    var range: Range<Int>

    var word: String? {
        if case .word(let word) = kind { return word }
        return nil
    }

    var number: (value: Int, digits: Int)? {
        if case .number(let value, let digits) = kind { return (value, digits) }
        return nil
    }

    func isSymbol(_ candidates: Unicode.Scalar...) -> Bool {
        if case .symbol(let symbol) = kind { return candidates.contains(symbol) }
        return false
    }

    var isSymbol: Bool {
        if case .symbol = kind { return true }
        return false
    }

    /// Splits a line into tokens. Digits and letters are split apart ("2025م" → 2025, م), bidi
    /// and other format characters are skipped, and words are normalized: hamza forms of alef to
    /// bare alef, alef maqsura to ya, tatweel and diacritics removed, Latin lowercased.
    static func tokenize(_ scalars: some Collection<Unicode.Scalar>, limit: Int = .max) -> [DateToken] {
        var tokens: [DateToken] = []
        var offset = 0
        var iterator = scalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        var wordScalars = String.UnicodeScalarView()
        var wordStart = 0
        var number = 0
        var digitCount = 0
        var numberStart = 0

        func flushWord() {
            if !wordScalars.isEmpty {
                tokens.append(DateToken(kind: .word(String(wordScalars)), range: wordStart..<offset))
                wordScalars = String.UnicodeScalarView()
            }
        }
        func flushNumber() {
            if digitCount > 0 {
                tokens.append(
                    DateToken(
                        kind: .number(digitCount > 9 ? Int.max : number, digits: digitCount),
                        range: numberStart..<offset))
                number = 0
                digitCount = 0
            }
        }

        while let scalar = pending, tokens.count < limit {
            defer {
                offset += 1
                pending = iterator.next()
            }
            if let digit = digitValue(scalar) {
                flushWord()
                if digitCount == 0 { numberStart = offset }
                if digitCount < 10 { number = number * 10 + digit }
                digitCount += 1
                continue
            }
            flushNumber()
            let kind = classify(scalar)
            if kind == .ignored { continue }
            if kind == .letter {
                if wordScalars.isEmpty { wordStart = offset }
                switch scalar {
                case "أ", "إ", "آ", "ٱ": wordScalars.append("ا")
                case "ى": wordScalars.append("ي")
                default:
                    if scalar.isASCII {
                        wordScalars.append(contentsOf: String(scalar).lowercased().unicodeScalars)
                    } else {
                        wordScalars.append(scalar)
                    }
                }
                continue
            }
            flushWord()
            if kind == .space { continue }
            tokens.append(DateToken(kind: .symbol(scalar), range: offset..<(offset + 1)))
        }
        flushWord()
        flushNumber()
        return tokens
    }

    private enum ScalarKind { case letter, ignored, space, other }

    /// Tatweel, diacritics and format characters are ignored inside and between words.
    private static func classify(_ scalar: Unicode.Scalar) -> ScalarKind {
        switch scalar.value {
        case 0x0621...0x063F, 0x0641...0x064A, 0x0671...0x06D3, 0x41...0x5A, 0x61...0x7A: return .letter
        case 0x0640, 0x064B...0x065F, 0x0670: return .ignored
        case 0x20, 0x09...0x0D: return .space
        case 0x21...0x40, 0x5B...0x60, 0x7B...0x7E: return .other
        default:
            let properties = scalar.properties
            if properties.generalCategory == .format || properties.generalCategory == .nonspacingMark {
                return .ignored
            }
            if properties.isAlphabetic { return .letter }
            return properties.isWhitespace ? .space : .other
        }
    }

    private static func digitValue(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar.value {
        case 0x30...0x39: return Int(scalar.value - 0x30)
        case 0x0660...0x0669: return Int(scalar.value - 0x0660)
        case 0x06F0...0x06F9: return Int(scalar.value - 0x06F0)
        default: return nil
        }
    }
}
