/// An index term as its UTF-8 bytes.
///
/// Matching an article against watches looks up and compares thousands of terms; Swift's `String`
/// hashes and compares Arabic text through Unicode normalization, which the analyzer's output never
/// needs (it is already normalized), so bytes are hashed and compared as they are.
struct IndexTerm: Hashable, Sendable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        bytes = Array(buffer)
    }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    var count: Int { bytes.count }
}
