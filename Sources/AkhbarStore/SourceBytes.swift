import Foundation
import GRDB

/// How the store keeps the bytes a source's file was dropped with, so that they can be given back
/// exactly (`akhbar show ID --raw --source N`).
enum SourceBytes: Sendable {
    /// The article's original text and this form give them back.
    case form(RawForm)
    /// Kept whole, once per distinct content: files of several articles, and those no form rebuilds.
    case file(RawFile)

    /// How to keep the bytes of a file whose article, if it is the only one, has `original`.
    /// Runs in the parsing workers: compressing and hashing are the costly part.
    init(_ bytes: [UInt8], single original: String?) {
        if let original, let form = RawForm.of(bytes, original: original) {
            self = .form(form)
        } else {
            self = .file(RawFile(bytes))
        }
    }
}

/// A dropped file's bytes, kept whole: zlib-compressed when that saves space, as ``StoredText``.
struct RawFile: Sendable {
    /// SHA-256 of the bytes, in hexadecimal: the same content is kept once.
    let hash: String
    let size: Int
    let stored: Data
    let compressed: Bool

    init(_ bytes: [UInt8]) {
        hash = SHA256.hex(of: bytes)
        size = bytes.count
        if bytes.count >= StoredText.threshold, let packed = StoredText.compress(bytes) {
            stored = packed
            compressed = true
        } else {
            stored = Data(bytes)
            compressed = false
        }
    }

    /// The bytes of a stored row; nil when they are damaged.
    static func bytes(stored: Data, compressed: Bool) -> [UInt8]? {
        compressed ? StoredText.decompress(stored) : [UInt8](stored)
    }
}
