internal import KilnCore

/// The Markdown subset the OpenAPI documents' descriptions use, as HTML: paragraphs, `* ` lists, `` `code` `` and
/// `**strong**`. Everything is HTML-escaped first; the only markup in the output is what this makes.
public enum DocText {
    public static func html(_ markdown: String) -> String {
        var out = ""
        var paragraph: [String] = []
        var items: [String] = []
        func flushParagraph() {
            if !paragraph.isEmpty { out += "<p>" + inline(paragraph.joined(separator: " ")) + "</p>\n" }
            paragraph = []
        }
        func flushList() {
            if !items.isEmpty { out += "<ul>\n" + items.map { "<li>" + inline($0) + "</li>\n" }.joined() + "</ul>\n" }
            items = []
        }
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw).trimmingWhitespace()
            if line.isEmpty {
                flushParagraph()
                flushList()
            } else if line.hasPrefix("* ") || line.hasPrefix("- ") {
                flushParagraph()
                items.append(String(line.dropFirst(2)))
            } else if !items.isEmpty, raw.hasPrefix("  ") {
                items[items.count - 1] += " " + line
            } else {
                flushList()
                paragraph.append(line)
            }
        }
        flushParagraph()
        flushList()
        return out
    }

    /// One line: escaped, with `code` and **strong** spans.
    static func inline(_ text: String) -> String {
        var out = ""
        var code = false
        var strong = false
        var chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "`" {
                out += code ? "</code>" : "<code>"
                code.toggle()
            } else if !code, c == "*", i + 1 < chars.count, chars[i + 1] == "*" {
                out += strong ? "</strong>" : "<strong>"
                strong.toggle()
                i += 1
            } else {
                out += escape(c)
            }
            i += 1
        }
        if code { out += "</code>" }
        if strong { out += "</strong>" }
        chars.removeAll()
        return out
    }

    public static func escape(_ c: Character) -> String {
        switch c {
        case "&": "&amp;"
        case "<": "&lt;"
        case ">": "&gt;"
        case "\"": "&quot;"
        case "'": "&#39;"
        default: String(c)
        }
    }

    public static func escape(_ text: String) -> String { text.map(escape).joined() }
}
