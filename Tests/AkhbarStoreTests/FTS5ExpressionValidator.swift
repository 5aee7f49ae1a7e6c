/// A recognizer for the subset of FTS5 query syntax the query builder may produce, strict enough to
/// reject anything FTS5 could fail on: unbalanced parentheses or quotes, empty strings, dangling
/// operators, unknown columns, NEAR groups of anything but phrases, NUL.
struct FTS5ExpressionValidator {
    enum Token: Equatable {
        case string(String)
        case open, close
        case columns([String])
        case colon, star, and, or, not, near, comma, number
    }

    static let columns: Set<String> = ["title", "body", "outlet", "author"]

    static func isValid(_ expression: String) -> Bool {
        guard !expression.unicodeScalars.contains("\u{0}"), let tokens = tokenize(expression) else { return false }
        var parser = Parser(tokens: tokens)
        return parser.expression() && parser.position == tokens.count
    }

    private static func tokenize(_ text: String) -> [Token]? {
        let scalars = Array(text.unicodeScalars)
        var tokens: [Token] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case " ":
                index += 1
            case "(":
                tokens.append(.open)
                index += 1
            case ")":
                tokens.append(.close)
                index += 1
            case ":":
                tokens.append(.colon)
                index += 1
            case "*":
                tokens.append(.star)
                index += 1
            case ",":
                tokens.append(.comma)
                index += 1
            case "0"..."9":
                while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
                tokens.append(.number)
            case "\"":
                var content = String.UnicodeScalarView()
                index += 1
                while true {
                    guard index < scalars.count else { return nil }
                    if scalars[index] == "\"" {
                        if index + 1 < scalars.count && scalars[index + 1] == "\"" {
                            content.append("\"")
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    content.append(scalars[index])
                    index += 1
                }
                let string = String(content)
                guard !string.trimmingSpaces.isEmpty else { return nil }
                tokens.append(.string(string))
            case "{":
                guard let end = scalars[index...].firstIndex(of: "}") else { return nil }
                let names = String(String.UnicodeScalarView(scalars[(index + 1)..<end])).split(separator: " ").map(
                    String.init)
                guard !names.isEmpty, names.allSatisfy(columns.contains) else { return nil }
                tokens.append(.columns(names))
                index = end + 1
            default:
                var word = String.UnicodeScalarView()
                while index < scalars.count, scalars[index].isASCII, scalars[index].properties.isAlphabetic {
                    word.append(scalars[index])
                    index += 1
                }
                switch String(word) {
                case "AND": tokens.append(.and)
                case "OR": tokens.append(.or)
                case "NOT": tokens.append(.not)
                case "NEAR": tokens.append(.near)
                default: return nil
                }
            }
        }
        return tokens
    }

    private struct Parser {
        let tokens: [Token]
        var position = 0

        mutating func accept(_ token: Token) -> Bool {
            guard position < tokens.count, tokens[position] == token else { return false }
            position += 1
            return true
        }

        mutating func expression() -> Bool {
            guard conjunction() else { return false }
            while accept(.or) { guard conjunction() else { return false } }
            return true
        }

        mutating func conjunction() -> Bool {
            guard negation() else { return false }
            while accept(.and) { guard negation() else { return false } }
            return true
        }

        mutating func negation() -> Bool {
            guard unary() else { return false }
            while accept(.not) { guard unary() else { return false } }
            return true
        }

        mutating func unary() -> Bool {
            guard position < tokens.count else { return false }
            if case .columns = tokens[position] {
                position += 1
                guard accept(.colon) else { return false }
            }
            guard position < tokens.count else { return false }
            switch tokens[position] {
            case .string:
                position += 1
                _ = accept(.star)
                return true
            case .open:
                position += 1
                return expression() && accept(.close)
            case .near:
                // NEAR(phrase phrase … [, distance]): phrases only, at least two.
                position += 1
                guard accept(.open) else { return false }
                var phrases = 0
                while position < tokens.count, case .string = tokens[position] {
                    position += 1
                    _ = accept(.star)
                    phrases += 1
                }
                if accept(.comma), !accept(.number) { return false }
                return phrases >= 2 && accept(.close)
            default:
                return false
            }
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        drop(while: { $0 == " " })
    }
}
