/// A small, tolerant XML pull parser over bytes, enough for XML-RPC: elements, text with entity and character
/// references, CDATA. The XML declaration, processing instructions, comments and DOCTYPE are skipped; attributes are
/// read past and dropped; element names lose any namespace prefix (`ex:nil` is `nil`). Text keeps its whitespace,
/// with line ends normalised to `\n` as XML requires.
struct XMLPullParser {
    enum Token: Equatable {
        case start(String, selfClosing: Bool)
        case end(String)
        case text([UInt8])
    }

    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The next token, or nil at the end of the document.
    mutating func next() throws(XMLRPCError) -> Token? {
        while offset < bytes.count {
            guard bytes[offset] == UInt8(ascii: "<") else { return .text(readText()) }
            if starts(with: "<!--") {
                try skip(past: "-->")
            } else if starts(with: "<![CDATA[") {
                offset += 9
                let start = offset
                try skip(past: "]]>")
                return .text(normaliseLineEnds(bytes[start..<(offset - 3)]))
            } else if starts(with: "<?") {
                try skip(past: "?>")
            } else if starts(with: "<!") {
                try skipDeclaration()
            } else if starts(with: "</") {
                offset += 2
                let name = readName()
                skipSpace()
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: ">") else {
                    throw malformed("unterminated end tag </\(name)")
                }
                offset += 1
                return .end(name)
            } else {
                offset += 1
                let name = readName()
                guard !name.isEmpty else { throw malformed("a '<' that starts no element") }
                // Attributes: read past them, honouring quotes.
                var quote: UInt8?
                while offset < bytes.count {
                    let byte = bytes[offset]
                    if let q = quote {
                        if byte == q { quote = nil }
                    } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                        quote = byte
                    } else if byte == UInt8(ascii: ">") {
                        offset += 1
                        return .start(name, selfClosing: false)
                    } else if byte == UInt8(ascii: "/"), offset + 1 < bytes.count,
                        bytes[offset + 1] == UInt8(ascii: ">")
                    {
                        offset += 2
                        return .start(name, selfClosing: true)
                    }
                    offset += 1
                }
                throw malformed("unterminated start tag <\(name)")
            }
        }
        return nil
    }

    func malformed(_ message: String) -> XMLRPCError {
        XMLRPCError(.malformed, message, offset: offset)
    }

    private func starts(with prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return false }
        return prefix.withUTF8Buffer { p in
            for i in 0..<count where bytes[offset + i] != p[i] { return false }
            return true
        }
    }

    private mutating func skip(past terminator: StaticString) throws(XMLRPCError) {
        while offset < bytes.count {
            if starts(with: terminator) {
                offset += terminator.utf8CodeUnitCount
                return
            }
            offset += 1
        }
        throw malformed("unterminated markup, expected \(terminator)")
    }

    /// `<!DOCTYPE ...>` possibly with an internal subset in brackets.
    private mutating func skipDeclaration() throws(XMLRPCError) {
        var depth = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            if byte == UInt8(ascii: "[") { depth += 1 }
            if byte == UInt8(ascii: "]") { depth -= 1 }
            if byte == UInt8(ascii: ">") && depth <= 0 { return }
        }
        throw malformed("unterminated declaration")
    }

    private mutating func skipSpace() {
        while offset < bytes.count, isSpace(bytes[offset]) { offset += 1 }
    }

    private func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// An element name without its namespace prefix.
    private mutating func readName() -> String {
        var localStart = offset
        while offset < bytes.count {
            let byte = bytes[offset]
            if isSpace(byte) || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") { break }
            if byte == UInt8(ascii: ":") { localStart = offset + 1 }
            offset += 1
        }
        return String(decoding: bytes[localStart..<offset], as: UTF8.self)
    }

    /// Character data up to the next '<', with references decoded.
    private mutating func readText() -> [UInt8] {
        var out: [UInt8] = []
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "<") { break }
            if byte == UInt8(ascii: "&"), let (decoded, length) = reference(at: offset) {
                out.append(contentsOf: decoded)
                offset += length
                continue
            }
            if byte == 0x0D {
                out.append(0x0A)
                offset += 1
                if offset < bytes.count, bytes[offset] == 0x0A { offset += 1 }
                continue
            }
            out.append(byte)
            offset += 1
        }
        return out
    }

    private func normaliseLineEnds(_ slice: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var previousCR = false
        for byte in slice {
            if byte == 0x0D {
                out.append(0x0A)
                previousCR = true
                continue
            }
            if byte == 0x0A && previousCR {
                previousCR = false
                continue
            }
            previousCR = false
            out.append(byte)
        }
        return out
    }

    /// `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#NN;` `&#xNN;` at `index`: the UTF-8 bytes and the reference length.
    /// Anything else (an unknown name, no ';' nearby, an invalid code point) is left as literal text.
    private func reference(at index: Int) -> ([UInt8], Int)? {
        var end = index + 1
        while end < bytes.count, end - index <= 12, bytes[end] != UInt8(ascii: ";") { end += 1 }
        guard end < bytes.count, bytes[end] == UInt8(ascii: ";") else { return nil }
        let body = bytes[(index + 1)..<end]
        let length = end - index + 1
        switch String(decoding: body, as: UTF8.self) {
        case "amp": return ([UInt8(ascii: "&")], length)
        case "lt": return ([UInt8(ascii: "<")], length)
        case "gt": return ([UInt8(ascii: ">")], length)
        case "quot": return ([UInt8(ascii: "\"")], length)
        case "apos": return ([UInt8(ascii: "'")], length)
        case let name where name.hasPrefix("#x") || name.hasPrefix("#X"):
            guard let value = UInt32(name.dropFirst(2), radix: 16), let scalar = Unicode.Scalar(value) else {
                return nil
            }
            return (Array(String(Character(scalar)).utf8), length)
        case let name where name.hasPrefix("#"):
            guard let value = UInt32(name.dropFirst(), radix: 10), let scalar = Unicode.Scalar(value) else {
                return nil
            }
            return (Array(String(Character(scalar)).utf8), length)
        default:
            return nil
        }
    }
}
