internal import KilnCore

/// XML-RPC messages as Koji's client and hub write and read them (`koji.encode_args`, `xmlrpcplus`).
///
/// Encoding follows Python's `xmlrpc.client` byte for byte: `<?xml version='1.0'?>`, one element per line, only
/// `&`, `<` and `>` escaped, `<int>` for 32-bit integers and `<i8>` beyond, `<nil/>` for nil, `<boolean>1</boolean>`.
/// Struct members are written in key order (a Swift dictionary has none), except that Koji's `__starstar` marker
/// comes last. Decoding accepts what Koji's unmarshaller accepts.
public enum XMLRPC {
    /// The `__starstar` member Koji uses to mark a trailing struct as keyword arguments.
    public static let kwargsMarker = "__starstar"

    /// A `<methodCall>`. Non-empty `kwargs` become one more struct param with `__starstar` = true, as
    /// `koji.encode_args` does; with no kwargs nothing is appended.
    public static func encodeCall(method: String, params: [XMLRPCValue], kwargs: [String: XMLRPCValue] = [:]) -> [UInt8]
    {
        var out = "<?xml version='1.0'?>\n<methodCall>\n<methodName>"
        escape(method, into: &out)
        out += "</methodName>\n<params>\n"
        for param in params {
            out += "<param>\n"
            encode(param, into: &out)
            out += "</param>\n"
        }
        if !kwargs.isEmpty {
            out += "<param>\n<value><struct>\n"
            for key in kwargs.keys.sorted() where key != kwargsMarker {
                encodeMember(key, kwargs[key]!, into: &out)
            }
            encodeMember(kwargsMarker, .bool(true), into: &out)
            out += "</struct></value>\n</param>\n"
        }
        out += "</params>\n</methodCall>\n"
        return Array(out.utf8)
    }

    /// A successful `<methodResponse>` carrying `value`.
    public static func encodeResponse(_ value: XMLRPCValue) -> [UInt8] {
        var out = "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n"
        encode(value, into: &out)
        out += "</param>\n</params>\n</methodResponse>\n"
        return Array(out.utf8)
    }

    /// A `<methodResponse><fault>`.
    public static func encodeFault(_ fault: XMLRPCFault) -> [UInt8] {
        var out = "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n"
        encode(.structure(["faultCode": .int(Int64(fault.code)), "faultString": .string(fault.message)]), into: &out)
        out += "</fault>\n</methodResponse>\n"
        return Array(out.utf8)
    }

    /// One `<value>…</value>` element followed by a newline.
    public static func encodeValue(_ value: XMLRPCValue) -> String {
        var out = ""
        encode(value, into: &out)
        return out
    }

    /// The result of a `<methodResponse>`. Throws `XMLRPCFault` for a `<fault>` answer and `XMLRPCError` when the
    /// bytes are not a method response.
    public static func decodeResponse(_ bytes: [UInt8]) throws -> XMLRPCValue {
        var reader = ValueReader(bytes)
        try reader.expectRoot("methodResponse")
        reader.skipSpace()
        guard case .start(let name, let selfClosing) = try reader.next() else {
            throw reader.malformed("methodResponse holds neither params nor fault")
        }
        switch name {
        case "params":
            guard !selfClosing else { throw reader.malformed("methodResponse has no value") }
            reader.skipSpace()
            try reader.expectStart("param")
            let value = try reader.readValue()
            try reader.expectEnd("param")
            try reader.expectEnd("params")
            try reader.expectEnd("methodResponse")
            return value
        case "fault":
            let value = try reader.readValue()
            guard let code = value["faultCode"]?.intValue else {
                throw reader.malformed("fault without an integer faultCode")
            }
            throw XMLRPCFault(code: Int(code), message: value["faultString"]?.stringValue ?? "")
        default:
            throw reader.malformed("unexpected <\(name)> in methodResponse")
        }
    }

    /// The method name and positional params of a `<methodCall>` (a trailing `__starstar` struct stays in `params`;
    /// `splitKwargs` separates it).
    public static func decodeCall(_ bytes: [UInt8]) throws(XMLRPCError) -> (method: String, params: [XMLRPCValue]) {
        var reader = ValueReader(bytes)
        try reader.expectRoot("methodCall")
        reader.skipSpace()
        try reader.expectStart("methodName")
        let method = String(decoding: reader.readText(), as: UTF8.self).trimmedXMLSpace()
        try reader.expectEnd("methodName")
        reader.skipSpace()
        var params: [XMLRPCValue] = []
        if case .start("params", let selfClosing) = try reader.peek() {
            _ = try reader.next()
            if !selfClosing {
                while true {
                    reader.skipSpace()
                    if case .end("params") = try reader.peek() { break }
                    try reader.expectStart("param")
                    params.append(try reader.readValue())
                    try reader.expectEnd("param")
                }
                try reader.expectEnd("params")
            }
        }
        try reader.expectEnd("methodCall")
        return (method, params)
    }

    /// Koji's `decode_args`: a trailing struct whose `__starstar`
    /// is true is the keyword arguments (without the marker).
    public static func splitKwargs(_ params: [XMLRPCValue]) -> (params: [XMLRPCValue], kwargs: [String: XMLRPCValue]) {
        guard var last = params.last?.structValue, let marker = last[kwargsMarker], isTrue(marker) else {
            return (params, [:])
        }
        last[kwargsMarker] = nil
        return (Array(params.dropLast()), last)
    }

    private static func isTrue(_ value: XMLRPCValue) -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .int(let number): return number != 0
        case .string(let text): return !text.isEmpty
        default: return false
        }
    }

    // MARK: - Encoding

    private static func encode(_ value: XMLRPCValue, into out: inout String) {
        switch value {
        case .nil:
            out += "<value><nil/></value>"
        case .int(let number):
            let tag = (Int64(Int32.min)...Int64(Int32.max)).contains(number) ? "int" : "i8"
            out += "<value><\(tag)>\(number)</\(tag)></value>\n"
        case .bool(let flag):
            out += "<value><boolean>\(flag ? 1 : 0)</boolean></value>\n"
        case .double(let number):
            out += "<value><double>\(pythonRepr(number))</double></value>\n"
        case .string(let text):
            out += "<value><string>"
            escape(text, into: &out)
            out += "</string></value>\n"
        case .base64(let bytes):
            out += "<value><base64>\n\(Base64.encode(bytes, lineLength: 76))</base64></value>\n"
        case .dateTime(let text):
            out += "<value><dateTime.iso8601>"
            escape(text, into: &out)
            out += "</dateTime.iso8601></value>\n"
        case .array(let elements):
            out += "<value><array><data>\n"
            for element in elements { encode(element, into: &out) }
            out += "</data></array></value>\n"
        case .structure(let members):
            out += "<value><struct>\n"
            for key in members.keys.sorted() { encodeMember(key, members[key]!, into: &out) }
            out += "</struct></value>\n"
        }
    }

    private static func encodeMember(_ key: String, _ value: XMLRPCValue, into out: inout String) {
        out += "<member>\n<name>"
        escape(key, into: &out)
        out += "</name>\n"
        encode(value, into: &out)
        out += "</member>\n"
    }

    /// Python's `xml.sax.saxutils.escape` as `xmlrpc.client` uses it: `&`, `<`, `>` only.
    private static func escape(_ text: String, into out: inout String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(scalar)
            }
        }
    }

    /// Python's `repr(float)`: Swift's shortest round-trip digits agree, except for the spelling of the specials.
    private static func pythonRepr(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        return "\(number)"
    }
}

/// Reads XML-RPC values from a pull parser, with one token of lookahead.
private struct ValueReader {
    private var parser: XMLPullParser
    private var peeked: XMLPullParser.Token??

    init(_ bytes: [UInt8]) { parser = XMLPullParser(bytes) }

    func malformed(_ message: String) -> XMLRPCError { parser.malformed(message) }

    mutating func peek() throws(XMLRPCError) -> XMLPullParser.Token? {
        if let peeked { return peeked }
        let token = try parser.next()
        peeked = .some(token)
        return token
    }

    mutating func next() throws(XMLRPCError) -> XMLPullParser.Token? {
        if let token = peeked {
            peeked = nil
            return token
        }
        return try parser.next()
    }

    /// Skips text tokens made only of whitespace (between structural elements).
    mutating func skipSpace() {
        while case .text(let bytes)? = try? peek(), bytes.allSatisfy(isXMLSpace) { peeked = nil }
    }

    /// Concatenated text (several tokens when CDATA or comments split it).
    mutating func readText() -> [UInt8] {
        var text: [UInt8] = []
        while case .text(let bytes)? = try? peek() {
            text += bytes
            peeked = nil
        }
        return text
    }

    /// Skips whatever precedes the root element (text, whitespace) and reads its start tag.
    mutating func expectRoot(_ name: String) throws(XMLRPCError) {
        skipSpace()
        guard case .start(let found, _) = try next() else { throw malformed("expected <\(name)>") }
        guard found == name else { throw malformed("expected <\(name)>, found <\(found)>") }
    }

    /// Reads `<name>` (not self-closing).
    mutating func expectStart(_ name: String) throws(XMLRPCError) {
        skipSpace()
        let token = try next()
        guard case .start(name, false) = token else { throw malformed("expected <\(name)>, found \(describe(token))") }
    }

    mutating func expectEnd(_ name: String) throws(XMLRPCError) {
        skipSpace()
        let token = try next()
        guard case .end(name) = token else { throw malformed("expected </\(name)>, found \(describe(token))") }
    }

    private func describe(_ token: XMLPullParser.Token?) -> String {
        switch token {
        case .start(let name, _): return "<\(name)>"
        case .end(let name): return "</\(name)>"
        case .text: return "text"
        case nil: return "end of document"
        }
    }

    /// Reads one `<value>…</value>`.
    mutating func readValue() throws(XMLRPCError) -> XMLRPCValue {
        skipSpace()
        guard case .start("value", let selfClosing) = try next() else { throw malformed("expected <value>") }
        if selfClosing { return .string("") }
        let text = readText()
        let token = try next()
        switch token {
        case .end("value"):
            return .string(String(decoding: text, as: UTF8.self))
        case .start(let type, let selfClosing):
            let value = try readTyped(type, selfClosing: selfClosing)
            try expectEnd("value")
            return value
        default:
            throw malformed("unexpected \(describe(token)) in <value>")
        }
    }

    /// The content of `<type>` (start tag already read) through its end tag.
    private mutating func readTyped(_ type: String, selfClosing: Bool) throws(XMLRPCError) -> XMLRPCValue {
        switch type {
        case "nil":
            if !selfClosing {
                _ = readText()
                try expectEnd(type)
            }
            return .nil
        case "array":
            var elements: [XMLRPCValue] = []
            if selfClosing { return .array([]) }
            skipSpace()
            guard case .start("data", let emptyData) = try next() else { throw malformed("expected <data> in <array>") }
            if !emptyData {
                while true {
                    skipSpace()
                    if case .end("data") = try peek() { break }
                    elements.append(try readValue())
                }
                try expectEnd("data")
            }
            try expectEnd("array")
            return .array(elements)
        case "struct":
            var members: [String: XMLRPCValue] = [:]
            if selfClosing { return .structure([:]) }
            while true {
                skipSpace()
                if case .end("struct") = try peek() { break }
                try expectStart("member")
                var name: String?
                var value: XMLRPCValue?
                while true {
                    skipSpace()
                    let token = try peek()
                    if case .end("member") = token { break }
                    if case .start("name", let emptyName) = token {
                        _ = try next()
                        name = ""
                        if !emptyName {
                            name = String(decoding: readText(), as: UTF8.self)
                            try expectEnd("name")
                        }
                    } else if case .start("value", _) = token {
                        value = try readValue()
                    } else {
                        throw malformed("unexpected \(describe(token)) in <member>")
                    }
                }
                try expectEnd("member")
                guard let name, let value else { throw malformed("<member> without <name> or <value>") }
                members[name] = value
            }
            try expectEnd("struct")
            return .structure(members)
        default:
            let text = selfClosing ? [] : readText()
            if !selfClosing { try expectEnd(type) }
            return try scalar(type, text)
        }
    }

    private func scalar(_ type: String, _ text: [UInt8]) throws(XMLRPCError) -> XMLRPCValue {
        let string = String(decoding: text, as: UTF8.self)
        switch type {
        case "string":
            return .string(string)
        case "int", "i1", "i2", "i4", "i8", "biginteger":
            guard let number = Int64(string.trimmedXMLSpace()) else {
                throw malformed("bad <\(type)> value '\(string)'")
            }
            return .int(number)
        case "boolean":
            switch string.trimmedXMLSpace() {
            case "1", "true": return .bool(true)
            case "0", "false": return .bool(false)
            default: throw malformed("bad <boolean> value '\(string)'")
            }
        case "double", "float", "bigdecimal":
            guard let number = Double(string.trimmedXMLSpace()) else {
                throw malformed("bad <\(type)> value '\(string)'")
            }
            return .double(number)
        case "dateTime.iso8601":
            return .dateTime(string.trimmedXMLSpace())
        case "base64":
            guard let bytes = Base64.decode(text) else { throw malformed("bad <base64> value") }
            return .base64(bytes)
        default:
            throw malformed("unknown value type <\(type)>")
        }
    }
}

private func isXMLSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
}

extension String {
    func trimmedXMLSpace() -> String {
        let bytes = Array(utf8)
        guard let first = bytes.firstIndex(where: { !isXMLSpace($0) }),
            let last = bytes.lastIndex(where: { !isXMLSpace($0) })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
