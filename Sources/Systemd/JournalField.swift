/// One `NAME=value` field of a journal entry (see systemd.journal-fields(7)).
public struct JournalField: Sendable, Hashable, CustomStringConvertible {
    /// Upper-case ASCII letters, digits and underscores, not starting with an underscore or digit.
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// The `NAME=value` text `sd_journal_sendv` takes.
    public var description: String { name + "=" + value }
}
