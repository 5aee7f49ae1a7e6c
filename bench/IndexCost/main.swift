// Indexing cost of Akhbar's Arabic analysis against SQLite's unicode61, on the same text, in the
// same process, in the same run: the titles and bodies of a make-drop-corpus manifest (written with
// --manifest-body) are inserted into an FTS5 table (title, body) in one transaction, once with
// `tokenize='unicode61'` and once with `tokenize='akhbar'`, alternating, three times each.
//
//   swift run -c release index-cost MANIFEST.jsonl
import AkhbarStore
import Foundation
import GRDB

struct Document: Decodable {
    var title: String
    var body: String?
}

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: index-cost MANIFEST.jsonl (from make-drop-corpus --manifest-body)\n".utf8))
    exit(2)
}
let decoder = JSONDecoder()
let documents = try String(contentsOfFile: arguments[1], encoding: .utf8)
    .split(separator: "\n")
    .compactMap { try? decoder.decode(Document.self, from: Data($0.utf8)) }
    .filter { $0.body != nil }
guard !documents.isEmpty else {
    FileHandle.standardError.write(Data("index-cost: no bodies in the manifest (render it with --manifest-body)\n".utf8))
    exit(1)
}

func build(tokenizer: String) throws -> Double {
    let path = NSTemporaryDirectory() + "index-cost-\(tokenizer)-\(getpid()).sqlite"
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
    var configuration = Configuration()
    configuration.prepareDatabase { db in FullTextIndex.register(on: db) }
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    try queue.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
        try db.execute(sql: "CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='\(tokenizer)')")
    }
    let start = ContinuousClock.now
    try queue.write { db in
        let insert = try db.makeStatement(sql: "INSERT INTO docs(title, body) VALUES (?, ?)")
        for document in documents { try insert.execute(arguments: [document.title, document.body]) }
    }
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

var times: [String: [Double]] = ["unicode61": [], FullTextIndex.tokenizerName: []]
for _ in 0..<3 {
    for tokenizer in ["unicode61", FullTextIndex.tokenizerName] {
        times[tokenizer]!.append(try build(tokenizer: tokenizer))
    }
}
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
let plain = median(times["unicode61"]!)
let arabic = median(times[FullTextIndex.tokenizerName]!)
print("documents: \(documents.count)")
print(String(format: "unicode61: %.2f s (median of 3)", plain))
print(String(format: "akhbar:    %.2f s (median of 3)", arabic))
print(String(format: "ratio:     %.2fx (target <= 1.5x)", arabic / plain))
