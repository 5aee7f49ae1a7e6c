/// The Windows-1256 (Arabic) code page, still what many Windows tools save Arabic text in.
///
/// Every one of the 256 byte values is assigned, so decoding never fails; whether the result is
/// plausible text is for the caller to judge.
public enum Windows1256 {
    /// Code points of bytes 0x80…0xFF; bytes below 0x80 are ASCII.
    private static let upperHalf: [UInt16] = [
        0x20AC, 0x067E, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0679, 0x2039, 0x0152, 0x0686, 0x0698, 0x0688,
        0x06AF, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x06A9, 0x2122, 0x0691, 0x203A, 0x0153, 0x200C, 0x200D, 0x06BA,
        0x00A0, 0x060C, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
        0x00A8, 0x00A9, 0x06BE, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
        0x00B8, 0x00B9, 0x061B, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x061F,
        0x06C1, 0x0621, 0x0622, 0x0623, 0x0624, 0x0625, 0x0626, 0x0627,
        0x0628, 0x0629, 0x062A, 0x062B, 0x062C, 0x062D, 0x062E, 0x062F,
        0x0630, 0x0631, 0x0632, 0x0633, 0x0634, 0x0635, 0x0636, 0x00D7,
        0x0637, 0x0638, 0x0639, 0x063A, 0x0640, 0x0641, 0x0642, 0x0643,
        0x00E0, 0x0644, 0x00E2, 0x0645, 0x0646, 0x0647, 0x0648, 0x00E7,
        0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0649, 0x064A, 0x00EE, 0x00EF,
        0x064B, 0x064C, 0x064D, 0x064E, 0x00F4, 0x064F, 0x0650, 0x00F7,
        0x0651, 0x00F9, 0x0652, 0x00FB, 0x00FC, 0x200E, 0x200F, 0x06D2,
    ]

    static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for byte in bytes {
            let value = byte < 0x80 ? UInt32(byte) : UInt32(upperHalf[Int(byte) - 0x80])
            // Every table entry is a valid BMP scalar outside the surrogate range.
            scalars.append(Unicode.Scalar(value)!)
        }
        return String(scalars)
    }

    /// The byte for a scalar, or nil when Windows-1256 cannot represent it (used by tests and
    /// to keep the table honest in both directions).
    static func encode(_ scalar: Unicode.Scalar) -> UInt8? {
        if scalar.value < 0x80 { return UInt8(scalar.value) }
        guard let index = upperHalf.firstIndex(of: UInt16(truncatingIfNeeded: scalar.value)),
            scalar.value <= 0xFFFF
        else { return nil }
        return UInt8(0x80 + index)
    }

    /// The bytes of `text` in Windows-1256, or nil when a character has no byte there.
    public static func encode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                bytes.append(UInt8(scalar.value))
            } else if let byte = byteOf[scalar.value] {
                bytes.append(byte)
            } else {
                return nil
            }
        }
        return bytes
    }

    /// The upper half's bytes by code point, for encoding whole texts.
    private static let byteOf: [UInt32: UInt8] = Dictionary(
        uniqueKeysWithValues: upperHalf.enumerated().map { (UInt32($0.element), UInt8(0x80 + $0.offset)) })
}
