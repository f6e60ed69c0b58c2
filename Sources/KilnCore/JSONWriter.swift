/// Streams JSON text into a byte buffer without building a value tree: the hot path for compose lists.
/// Writes the same text `JSON.serialized()` would (", " and ": " separators); callers emit keys in sorted order.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }
    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// An object key; the value written next belongs to it.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":"), UInt8(ascii: " ")])
        needsComma = false
    }

    public mutating func string(_ value: String) {
        separate()
        JSON.writeString(value, into: &bytes)
        needsComma = true
    }
    public mutating func string(_ value: String?) { if let value { string(value) } else { null() } }
    public mutating func int(_ value: Int64) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }
    public mutating func int(_ value: Int64?) { if let value { int(value) } else { null() } }
    public mutating func null() {
        separate()
        bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        needsComma = true
    }
    public mutating func timestamp(_ value: Timestamp?) {
        guard let value else { return null() }
        separate()
        bytes.append(UInt8(ascii: "\""))
        value.write(into: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// A value that is already JSON text.
    public mutating func raw(_ value: JSON) {
        separate()
        value.write(into: &bytes, sortedKeys: true)
        needsComma = true
    }

    /// Appends literal text (for URLs built from trusted parts), quoted and escaped.
    public mutating func string(parts: [String]) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        for part in parts { JSON.writeStringContent(part, into: &bytes) }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
    }
}
