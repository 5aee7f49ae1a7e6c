import AkhbarProtocol
import Foundation
import Testing

@Suite("The third-party Python Varlink client")
struct PythonClientTests {
    @Test(
        "python3 -m varlink.cli can call Search",
        .enabled(
            if: PythonVarlink.python != nil,
            "no Python with the varlink package: Tests/run-all.sh installs one and names it in AKHBAR_PYTHON_VARLINK"))
    func pythonSearch() throws {
        let python = try #require(PythonVarlink.python)
        try withDaemon(seeds: true) { daemon in
            daemon.eventually("the seeds ingested") { try daemon.stats().articles == 5 }
            // varlink.cli first fetches and parses the interface description, so this also checks the IDL.
            let run = try PythonVarlink.run(
                python,
                [
                    "-m", "varlink.cli", "call",
                    "unix:\(daemon.sandbox.socket)/io.akhbar.Articles.Search",
                    #"{"query":"ليبيا"}"#,
                ])
            #expect(run.status == 0, "varlink.cli call failed:\n\(run.stderr)")
            let reply = try JSONDecoder().decode(SearchReply.self, from: Data(run.stdout.utf8))
            #expect(reply.hits.count == 5, "every seed mentions ليبيا: \(reply.hits.map(\.title))")

            let info = try PythonVarlink.run(python, ["-m", "varlink.cli", "info", "unix:\(daemon.sandbox.socket)"])
            #expect(
                info.status == 0 && info.stdout.contains("io.akhbar.Articles"),
                "varlink.cli info:\n\(info.stdout)\(info.stderr)")
        }
    }
}

/// A Python with the third-party `varlink` package, installed once by the test script rather than
/// from the network inside a test: the one `AKHBAR_PYTHON_VARLINK` names, else the system's if it
/// has the package.
enum PythonVarlink {
    static let python: URL? = {
        if let named = ProcessInfo.processInfo.environment["AKHBAR_PYTHON_VARLINK"],
            FileManager.default.isExecutableFile(atPath: named)
        {
            return URL(fileURLWithPath: named)
        }
        let system = URL(fileURLWithPath: "/usr/bin/python3")
        guard FileManager.default.isExecutableFile(atPath: system.path),
            (try? run(system, ["-c", "import varlink"]))?.status == 0
        else { return nil }
        return system
    }()

    static func run(_ python: URL, _ arguments: [String], timeout: Duration = .seconds(60)) throws -> ClientRun {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "akhbar-py-\(UUID().uuidString.prefix(12))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let child = try ChildProcess(python, arguments, name: "python", in: directory)
        guard child.wait(timeout: timeout) else {
            throw Failure("python \(arguments.joined(separator: " ")) still running after \(timeout)")
        }
        return ClientRun(status: child.status, stdout: child.stdout, stderr: child.stderr)
    }
}
