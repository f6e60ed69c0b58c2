/// Hexadecimal digits: checksums and keys written as hex, and the `%XX` of percent-encoding.
public enum Hex {
    static let lowercaseDigits = Array("0123456789abcdef".utf8)
    static let uppercaseDigits = Array("0123456789ABCDEF".utf8)

    /// The value of one hex digit (either case), nil for any other byte.
    public static func digitValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The two digits of `byte`, high first.
    public static func digits(_ byte: UInt8, uppercase: Bool = false) -> (UInt8, UInt8) {
        let table = uppercase ? uppercaseDigits : lowercaseDigits
        return (table[Int(byte >> 4)], table[Int(byte & 0xF)])
    }

    /// `bytes` as hex digits, two per byte (lowercase, as checksums are written).
    public static func encode(_ bytes: some Sequence<UInt8>, uppercase: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            let (high, low) = digits(byte, uppercase: uppercase)
            out.append(high)
            out.append(low)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of an even number of hex digits; nil for an odd count or any other character.
    public static func decode(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let high = digitValue(digits[i]), let low = digitValue(digits[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }
}
