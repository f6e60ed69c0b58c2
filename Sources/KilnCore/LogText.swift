/// Text from clients (package names, sources, labels, error messages that quote them) made safe for a log line: one
/// event stays one line, and no terminal control sequence gets through. C0 and C1 control characters, DEL and the
/// Unicode line and paragraph separators are written as escapes (`\n`, `\r`, `\t`, `\u{1b}`).
public enum LogText {
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for c in text.unicodeScalars {
            guard needsEscape(c) else {
                out.unicodeScalars.append(c)
                continue
            }
            switch c {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out += "\\u{" + String(c.value, radix: 16) + "}"
            }
        }
        return out
    }

    static func needsEscape(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x20 || (0x7F...0x9F).contains(c.value) || c.value == 0x2028 || c.value == 0x2029
    }
}
