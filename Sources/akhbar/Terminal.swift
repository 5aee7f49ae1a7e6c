#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How text is styled for a person reading a terminal.
struct Terminal {
    /// ANSI SGR parameters for the few styles the client uses.
    enum Style: String {
        case bold = "1"
        case dim = "2"
        case match = "1;33"
    }

    /// False when `NO_COLOR` is set to anything (no-color.org) or the terminal is `dumb`.
    var colors: Bool

    init(environment: [String: String]) {
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        colors = !noColor && environment["TERM"] != "dumb"
    }

    static func isTerminal(_ descriptor: Int32) -> Bool {
        isatty(descriptor) == 1
    }

    func styled(_ text: String, _ style: Style) -> String {
        colors ? start(style) + text + end : text
    }

    func start(_ style: Style) -> String {
        colors ? "\u{1B}[\(style.rawValue)m" : ""
    }

    var end: String {
        colors ? "\u{1B}[0m" : ""
    }

    /// The text with every control character turned into a space.
    ///
    /// Article text comes from whatever was dropped into the folder; an escape sequence in it must
    /// not reach the terminal. The mapping is one scalar for one scalar so highlight offsets still hold.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map(printable)))
    }

    static func printable(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        scalar.properties.generalCategory == .control ? " " : scalar
    }
}
