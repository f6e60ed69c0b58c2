/// RFC 4648 §5 base64url without padding: the standard alphabet's `+` and `/` written as `-` and `_`, so it is
/// `Base64` with two characters swapped and the padding dropped.
public enum Base64URL {
    /// Decodes unpadded (or padded) base64url; nil for any character outside the alphabet (whitespace, `+` and `/`
    /// included) or an impossible length.
    public static func decode(_ text: String) -> [UInt8]? {
        var standard: [UInt8] = []
        standard.reserveCapacity(text.utf8.count + 2)
        for byte in text.utf8 where byte != UInt8(ascii: "=") {
            switch byte {
            case UInt8(ascii: "-"): standard.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): standard.append(UInt8(ascii: "/"))
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                standard.append(byte)
            default: return nil
            }
        }
        guard standard.count % 4 != 1 else { return nil }
        while standard.count % 4 != 0 { standard.append(UInt8(ascii: "=")) }
        return Base64.decode(standard)
    }

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = ""
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        for ch in Base64.encode(bytes, lineLength: Int.max) {
            switch ch {
            case "+": out.append("-")
            case "/": out.append("_")
            case "=", "\n": continue
            default: out.append(ch)
            }
        }
        return out
    }
}
