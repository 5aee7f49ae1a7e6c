/// Just enough of a Varlink interface-description parser to check that an interface text is
/// well formed: names follow the varlink.org grammar, members parse, nothing is defined twice.
struct VarlinkIDL {
    struct Field: Equatable {
        var name: String
        /// The type as written, e.g. `?[]Hit`.
        var type: String
        var isOptional: Bool { type.hasPrefix("?") }
    }

    struct Method {
        var input: [Field]
        var output: [Field]
    }

    struct SyntaxError: Error, CustomStringConvertible {
        var description: String
    }

    var name: String
    var types: [String: [Field]] = [:]
    var methods: [String: Method] = [:]
    var errors: [String: [Field]] = [:]

    static let primitiveTypes: Set<String> = ["bool", "int", "float", "string", "object"]

    init(parsing text: String) throws {
        // Comments run from # to the end of the line and carry no syntax.
        let code = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in String(line.firstIndex(of: "#").map { line[..<$0] } ?? line[...]) }
            .joined(separator: "\n")
        var scanner = Scanner(text: code)
        guard scanner.word() == "interface" else { throw SyntaxError(description: "no `interface` keyword first") }
        name = scanner.word()
        guard name.wholeMatch(of: /[A-Za-z]([-]*[A-Za-z0-9])*(\.[A-Za-z0-9]([-]*[A-Za-z0-9])*)+/) != nil else {
            throw SyntaxError(description: "bad interface name \(name)")
        }
        while !scanner.atEnd {
            let keyword = scanner.word()
            let member = scanner.word()
            guard member.wholeMatch(of: /[A-Z][A-Za-z0-9]*/) != nil else {
                throw SyntaxError(description: "bad member name '\(member)' after \(keyword)")
            }
            guard types[member] == nil, methods[member] == nil, errors[member] == nil else {
                throw SyntaxError(description: "\(member) defined twice")
            }
            switch keyword {
            case "type":
                types[member] = try Self.fields(scanner.group())
            case "error":
                errors[member] = try Self.fields(scanner.group())
            case "method":
                let input = try Self.fields(scanner.group())
                guard scanner.arrow() else { throw SyntaxError(description: "method \(member) has no ->") }
                methods[member] = Method(input: input, output: try Self.fields(scanner.group()))
            default:
                throw SyntaxError(description: "unknown keyword '\(keyword)'")
            }
        }
    }

    /// Every type name used by a field that is neither primitive nor defined in this interface.
    var undefinedTypes: Set<String> {
        let all =
            Array(types.values.joined()) + Array(errors.values.joined())
            + methods.values.flatMap { $0.input + $0.output }
        return Set(
            all.compactMap { field in
                let base = Self.baseType(field.type)
                return base.hasPrefix("(") || Self.primitiveTypes.contains(base) || types[base] != nil ? nil : base
            })
    }

    /// The named or inline type under any `?`, `[]` and `[string]` prefixes.
    static func baseType(_ type: String) -> String {
        var rest = Substring(type)
        while true {
            if rest.hasPrefix("?") {
                rest = rest.dropFirst()
            } else if rest.hasPrefix("[]") {
                rest = rest.dropFirst(2)
            } else if rest.hasPrefix("[string]") {
                rest = rest.dropFirst(8)
            } else {
                return String(rest)
            }
        }
    }

    private static func fields(_ group: String) throws -> [Field] {
        var fields: [Field] = []
        var depth = 0
        var current = ""
        for character in group + "," {
            switch character {
            case "(":
                depth += 1
            case ")":
                depth -= 1
            case "," where depth == 0:
                let item = current.trimmingWhitespace()
                current = ""
                if item.isEmpty { continue }
                let parts = item.split(separator: ":", maxSplits: 1).map { String($0).trimmingWhitespace() }
                guard parts.count == 2, parts[0].wholeMatch(of: /[A-Za-z](_?[A-Za-z0-9])*/) != nil,
                    !parts[1].isEmpty, !parts[1].contains(where: \.isWhitespace) || parts[1].hasSuffix(")")
                else { throw SyntaxError(description: "bad field '\(item)'") }
                fields.append(Field(name: parts[0], type: parts[1]))
                continue
            default:
                break
            }
            current.append(character)
        }
        return fields
    }

    private struct Scanner {
        var characters: [Character]
        var index = 0

        init(text: String) { characters = Array(text) }

        var atEnd: Bool {
            mutating get {
                skipWhitespace()
                return index == characters.count
            }
        }

        mutating func skipWhitespace() {
            while index < characters.count, characters[index].isWhitespace { index += 1 }
        }

        mutating func word() -> String {
            skipWhitespace()
            let start = index
            while index < characters.count,
                characters[index].isLetter || characters[index].isNumber
                    || characters[index] == "." || characters[index] == "-" || characters[index] == "_"
            {
                index += 1
            }
            return String(characters[start..<index])
        }

        mutating func arrow() -> Bool {
            skipWhitespace()
            guard index + 1 < characters.count, characters[index] == "-", characters[index + 1] == ">" else {
                return false
            }
            index += 2
            return true
        }

        /// The text inside a balanced pair of parentheses.
        mutating func group() throws -> String {
            skipWhitespace()
            guard index < characters.count, characters[index] == "(" else {
                throw SyntaxError(description: "expected ( at character \(index)")
            }
            var depth = 0
            let start = index + 1
            while index < characters.count {
                if characters[index] == "(" { depth += 1 }
                if characters[index] == ")" { depth -= 1 }
                index += 1
                if depth == 0 { return String(characters[start..<(index - 1)]) }
            }
            throw SyntaxError(description: "unbalanced parentheses")
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
