import CZlib
import Foundation
import GRDB

/// A long text as the store keeps it: zlib-compressed when that saves space.
///
/// Originals are kept only to be shown again (`akhbar show --raw`, export), never searched, so they
/// can be compressed; Arabic news text shrinks to about a third. A compressed value is a BLOB of the
/// original's UTF-8 length (4 bytes, little-endian) followed by the zlib stream; plain TEXT is kept
/// for short texts, where compression gains nothing.
struct StoredText: Sendable {
    let databaseValue: DatabaseValue

    /// Texts shorter than this stay plain.
    static let threshold = 256

    init(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= Self.threshold, let packed = Self.compress(bytes) else {
            databaseValue = text.databaseValue
            return
        }
        databaseValue = packed.databaseValue
    }

    /// The text behind a stored value, plain or compressed.
    static func text(from value: DatabaseValue) -> String {
        switch value.storage {
        case .string(let text): return text
        case .blob(let data): return decompress(data).map { String(decoding: $0, as: UTF8.self) } ?? ""
        default: return ""
        }
    }

    /// `bytes` as a length (4 bytes, little-endian) and a zlib stream, or nil when that is no smaller.
    static func compress(_ bytes: [UInt8]) -> Data? {
        guard bytes.count < Int(UInt32.max) else { return nil }
        var capacity = compressBound(uLong(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(capacity) + 4)
        let length = UInt32(bytes.count)
        for index in 0..<4 { output[index] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(index))) }
        let status = output.withUnsafeMutableBufferPointer { out in
            // Level 1: the workers compress every article; speed matters more than the last few percent.
            compress2(out.baseAddress! + 4, &capacity, bytes, uLong(bytes.count), 1)
        }
        guard status == Z_OK, Int(capacity) + 4 < bytes.count else { return nil }
        return Data(output[..<(Int(capacity) + 4)])
    }

    /// The bytes of a value made by ``compress(_:)``; nil when it is damaged.
    static func decompress(_ data: Data) -> [UInt8]? {
        guard data.count > 4 else { return nil }
        let bytes = [UInt8](data)
        let length = (0..<4).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        var output = [UInt8](repeating: 0, count: length)
        var produced = uLong(length)
        let status = bytes.withUnsafeBufferPointer { input in
            uncompress(&output, &produced, input.baseAddress! + 4, uLong(bytes.count - 4))
        }
        guard status == Z_OK, Int(produced) == length else { return nil }
        return output
    }
}
