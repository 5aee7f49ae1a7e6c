import Articles

/// How a dropped file's bytes follow from its article's original text, when they do.
///
/// The original is the file as decoded: without its byte-order mark, its line ends made LF, in
/// UTF-8, and for a JSON file without the whitespace around the object. Most files are exactly that
/// text, or that text in Windows-1256, with CRLF line ends or a final newline: for those, these few
/// bits and the original give the dropped bytes back, and only files that differ otherwise (UTF-16,
/// several articles in one file, stray whitespace) are kept whole. A form is only ever recorded
/// after its bytes were rebuilt and compared with the file's.
struct RawForm: OptionSet, Sendable, Hashable {
    let rawValue: Int

    static let byteOrderMark = RawForm(rawValue: 1)
    static let crlf = RawForm(rawValue: 2)
    static let windows1256 = RawForm(rawValue: 4)
    static let finalNewline = RawForm(rawValue: 8)

    /// The form that gives `bytes` back from `original`, or nil when none does. Runs for every
    /// dropped file, so it rebuilds at most two candidates: in UTF-8, and only when that is not the
    /// file, in Windows-1256.
    static func of(_ bytes: [UInt8], original: String) -> RawForm? {
        var form: RawForm = []
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { form.insert(.byteOrderMark) }
        if bytes.last == 0x0A, original.utf8.last != 0x0A { form.insert(.finalNewline) }
        if let newline = bytes.firstIndex(of: 0x0A), newline > 0, bytes[newline - 1] == 0x0D { form.insert(.crlf) }
        if form.bytes(of: original) == bytes { return form }
        // A byte-order mark says UTF-8; Windows-1256 has none.
        guard !form.contains(.byteOrderMark) else { return nil }
        form.insert(.windows1256)
        return form.bytes(of: original) == bytes ? form : nil
    }

    /// The bytes this form makes of `original`; nil when Windows-1256 cannot write one of its characters.
    func bytes(of original: String) -> [UInt8]? {
        let encoded: [UInt8]
        if contains(.windows1256) {
            guard let text = Windows1256.encode(original) else { return nil }
            encoded = text
        } else {
            encoded = Array(original.utf8)
        }
        // Both encodings write LF as the one byte 0x0A, and no other character holds that byte.
        var bytes: [UInt8] = contains(.byteOrderMark) ? [0xEF, 0xBB, 0xBF] : []
        bytes.reserveCapacity(bytes.count + encoded.count + encoded.count / 32 + 2)
        for byte in encoded {
            if byte == 0x0A, contains(.crlf) { bytes.append(0x0D) }
            bytes.append(byte)
        }
        if contains(.finalNewline) { bytes += contains(.crlf) ? [0x0D, 0x0A] : [0x0A] }
        return bytes
    }
}
