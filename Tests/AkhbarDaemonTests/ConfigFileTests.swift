import Testing

@testable import AkhbarDaemon

@Suite("Config file")
struct ConfigFileTests {
    @Test("drop-grace takes whole seconds from 0 to a day")
    func dropGrace() throws {
        let file = try ConfigFile(parsing: "drop = /srv/drop\ndrop-grace = 5\n", name: "akhbard.conf")
        #expect(file.values["drop-grace"] == "5")
        #expect(ConfigFile.seconds("0") == .zero)
        #expect(ConfigFile.seconds("86400") == .seconds(86_400))
        for bad in ["-1", "1.5", "30s", "86401", ""] {
            #expect(ConfigFile.seconds(bad) == nil, "\(bad)")
        }
        #expect(throws: DaemonError.self) { try ConfigFile(parsing: "drop-grace = 30s\n", name: "akhbard.conf") }
    }
}
