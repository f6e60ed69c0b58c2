/// RFC 4648 base64 (standard alphabet, padded).
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// With a newline after every `lineLength` characters and at the end, like Python's `base64.encodebytes`.
    public static func encode(_ bytes: [UInt8], lineLength: Int) -> String {
        var out: [UInt8] = []
        var column = 0
        func put(_ byte: UInt8) {
            out.append(byte)
            column += 1
            if column == lineLength {
                out.append(0x0A)
                column = 0
            }
        }
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index]
            let b1 = index + 1 < bytes.count ? bytes[index + 1] : 0
            let b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            put(alphabet[Int(b0 >> 2)])
            put(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            put(index + 1 < bytes.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            put(index + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        if column != 0 || (out.isEmpty && !bytes.isEmpty) { out.append(0x0A) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Ignores whitespace; nil for any other character outside the alphabet or a bad length.
    public static func decode(_ text: [UInt8]) -> [UInt8]? {
        var values: [UInt8] = []
        var padding = 0
        for byte in text {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): values.append(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): values.append(byte - UInt8(ascii: "a") + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): values.append(byte - UInt8(ascii: "0") + 52)
            case UInt8(ascii: "+"): values.append(62)
            case UInt8(ascii: "/"): values.append(63)
            case UInt8(ascii: "="): padding += 1
            case 0x20, 0x09, 0x0A, 0x0D: continue
            default: return nil
            }
            if padding > 0 && byte != UInt8(ascii: "=") { return nil }
        }
        guard (values.count + padding) % 4 == 0, padding <= 2 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index + 1 < values.count {
            let v0 = values[index]
            let v1 = values[index + 1]
            out.append(v0 << 2 | v1 >> 4)
            if index + 2 < values.count {
                let v2 = values[index + 2]
                out.append((v1 & 0x0F) << 4 | v2 >> 2)
                if index + 3 < values.count { out.append((v2 & 0x03) << 6 | values[index + 3]) }
            }
            index += 4
        }
        return out
    }
}
