import AkhbarProtocol
import Foundation
import Testing

@Suite("The third-party Python Varlink client")
struct PythonClientTests {
    @Test("python3 -m varlink.cli can call Search")
    func pythonSearch() throws {
        let python = try PythonVarlink.install()
        defer { python.remove() }
        try withDaemon(seeds: true) { daemon in
            daemon.eventually("the seeds ingested") { try daemon.stats().articles == 5 }
            // varlink.cli first fetches and parses the interface description, so this also checks the IDL.
            let run = try python.run(["-m", "varlink.cli", "call", "unix:\(daemon.sandbox.socket)/io.akhbar.Articles.Search",
                                      #"{"query":"ليبيا"}"#])
            #expect(run.status == 0, "varlink.cli call failed:\n\(run.stderr)")
            let reply = try JSONDecoder().decode(SearchReply.self, from: Data(run.stdout.utf8))
            #expect(reply.hits.count == 5, "every seed mentions ليبيا: \(reply.hits.map(\.title))")

            let info = try python.run(["-m", "varlink.cli", "info", "unix:\(daemon.sandbox.socket)"])
            #expect(info.status == 0 && info.stdout.contains("io.akhbar.Articles"), "varlink.cli info:\n\(info.stdout)\(info.stderr)")
        }
    }
}

/// A Python with the `varlink` package: the system one if it already has it, else a fresh virtual
/// environment, else the user's site-packages. Never skipped: if none works, the test fails saying why.
struct PythonVarlink {
    var python: URL
    var directory: URL

    static func install() throws -> PythonVarlink {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("akhbar-py-\(UUID().uuidString.prefix(12))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let system = try which("python3")
        var attempts: [String] = []
        if try run(system, ["-c", "import varlink"], in: directory).status == 0 {
            return PythonVarlink(python: system, directory: directory)
        }
        let venv = directory.appendingPathComponent("venv")
        let created = try run(system, ["-m", "venv", venv.path], in: directory)
        if created.status == 0 {
            let python = venv.appendingPathComponent("bin/python")
            let pip = try run(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "varlink"], in: directory,
                              timeout: .seconds(300))
            if pip.status == 0 { return PythonVarlink(python: python, directory: directory) }
            attempts.append("pip install varlink in a venv: \(pip.stderr)")
        } else {
            attempts.append("python3 -m venv: \(created.stderr)")
        }
        let user = try run(system, ["-m", "pip", "install", "--user", "--quiet", "--disable-pip-version-check", "varlink"],
                           in: directory, timeout: .seconds(300))
        if user.status == 0 { return PythonVarlink(python: system, directory: directory) }
        attempts.append("pip install --user varlink: \(user.stderr)")
        try? FileManager.default.removeItem(at: directory)
        throw Failure("cannot install the Python varlink package:\n" + attempts.joined(separator: "\n"))
    }

    func run(_ arguments: [String]) throws -> ClientRun {
        try Self.run(python, arguments, in: directory)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    private static func which(_ name: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw Failure("\(name) is not on PATH")
    }

    private static func run(_ executable: URL, _ arguments: [String], in directory: URL, timeout: Duration = .seconds(60)) throws -> ClientRun {
        let child = try ChildProcess(executable, arguments, name: "python-\(UUID().uuidString.prefix(6))", in: directory)
        guard child.wait(timeout: timeout) else {
            throw Failure("\(executable.lastPathComponent) \(arguments.joined(separator: " ")) still running after \(timeout)")
        }
        return ClientRun(status: child.status, stdout: child.stdout, stderr: child.stderr)
    }
}
