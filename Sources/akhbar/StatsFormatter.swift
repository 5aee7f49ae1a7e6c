import AkhbarProtocol
import FoundationEssentials

/// Renders the daemon's statistics as an aligned table for a terminal.
struct StatsFormatter {
    let terminal: Terminal

    func lines(for stats: StatsReply) -> [String] {
        // The status line repeats the problems for the service manager; here they get a line each.
        let status = stats.status.split(separator: "; PROBLEM ").first.map(String.init) ?? stats.status
        let problems = (stats.problems ?? []).map { ("problem", "\($0.key) since \($0.since): \($0.message)") }
        let rows: [(String, String)] =
            [
                ("status", status)
            ] + problems + [
                ("articles", String(stats.articles)),
                ("files", String(stats.files)),
                ("rejected", String(stats.rejected)),
                ("queued", String(stats.queued)),
                ("watches", stats.watches.map(String.init) ?? "unknown"),
                ("last ingest", stats.lastIngest ?? "never"),
                ("uptime", Self.duration(stats.uptimeSeconds)),
                ("drop folder", stats.dropFolder),
                ("store", "\(stats.store) (\(Self.size(stats.storeBytes)))"),
            ]
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { label, value in
            let padded = label + String(repeating: " ", count: width - label.count)
            return terminal.styled(padded, label == "problem" ? .bold : .dim) + "  " + Terminal.printable(value)
        }
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.down))
        let (days, hours, minutes) = (total / 86_400, total / 3_600 % 24, total / 60 % 60)
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        if minutes > 0 { return "\(minutes)m \(total % 60)s" }
        return "\(total)s"
    }

    static func size(_ bytes: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let tenths = Int((value * 10).rounded())
        return unit == 0 ? "\(bytes) bytes" : "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}
