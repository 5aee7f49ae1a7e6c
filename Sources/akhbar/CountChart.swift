import AkhbarProtocol

/// Draws counts as horizontal bars for a terminal, one column of bars per query.
///
/// Labels (outlets, authors, places) are often Arabic: each is set in a Unicode isolate (FSI … PDI),
/// so the terminal's bidirectional reordering stays inside it and cannot carry the bars or numbers of
/// its row across the line, and it is padded by its width on screen, not its length in scalars.
struct CountChart {
    let terminal: Terminal
    /// Columns available on the line.
    let width: Int

    /// One line per key, labels on the left, then a bar and a count for each query.
    func lines(keys: [String?], counts: [[Int]], titles: [String]) -> [String] {
        let labels = keys.map { Terminal.printable($0 ?? "(none)") }
        let labelWidth = min(labels.map(Self.displayWidth).max() ?? 0, 30)
        let numbers = counts.map { column in column.map(Self.grouped) }
        let numberWidth = numbers.flatMap { $0 }.map(\.count).max() ?? 1
        let columns = max(counts.count, 1)
        // Each column: a bar, a space, the number, two spaces between columns.
        let barWidth = max((width - labelWidth - 2 - columns * (numberWidth + 3)) / columns, 4)
        let maximum = max(counts.flatMap { $0 }.max() ?? 0, 1)
        var lines: [String] = []
        if titles.count > 1 {
            var header = String(repeating: " ", count: labelWidth + 2)
            for title in titles {
                header +=
                    Self.isolated(Self.truncated(Terminal.printable(title), to: barWidth + numberWidth + 1))
                    + String(
                        repeating: " ",
                        count: max(
                            barWidth + numberWidth + 3
                                - Self.displayWidth(Self.truncated(title, to: barWidth + numberWidth + 1)), 0))
            }
            lines.append(terminal.styled(header, .bold))
        }
        for (row, label) in labels.enumerated() {
            let shown = Self.truncated(label, to: labelWidth)
            var line =
                Self.isolated(shown) + String(repeating: " ", count: labelWidth - Self.displayWidth(shown)) + "  "
            for (column, values) in counts.enumerated() {
                let value = values[row]
                let bar = Self.bar(Double(value) / Double(maximum) * Double(barWidth))
                line += terminal.styled(bar, .match) + String(repeating: " ", count: barWidth - bar.count) + " "
                line += String(repeating: " ", count: numberWidth - numbers[column][row].count) + numbers[column][row]
                if column < counts.count - 1 { line += "  " }
            }
            lines.append(line)
        }
        return lines
    }

    /// Eighths of a block, so small differences still show.
    static func bar(_ cells: Double) -> String {
        let eighths = Int((cells * 8).rounded())
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
        return String(repeating: "█", count: eighths / 8) + partial
    }

    /// 12,345.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result += "," }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }

    /// Columns a text takes on screen: combining marks and invisible format characters take none.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { total, scalar in
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format: total
            default: total + 1
            }
        }
    }

    static func truncated(_ text: String, to width: Int) -> String {
        guard displayWidth(text) > width, width > 1 else { return text }
        var result = String.UnicodeScalarView()
        var used = 0
        for scalar in text.unicodeScalars {
            let cost = displayWidth(String(scalar))
            if used + cost > width - 1 { break }
            result.append(scalar)
            used += cost
        }
        return String(result) + "…"
    }

    /// First-strong isolate … pop directional isolate.
    static func isolated(_ text: String) -> String {
        "\u{2068}" + text + "\u{2069}"
    }
}
