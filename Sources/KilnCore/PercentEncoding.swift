/// RFC 3986's unreserved characters: letters, digits, `-`, `.`, `_` and `~`.
public func isUnreservedURLByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
        UInt8(ascii: "~"):
        true
    default: false
    }
}

/// Percent-encodes every byte of `text`'s UTF-8 that `keeping` does not accept (by default, everything but RFC 3986
/// unreserved characters), as `%XX` with uppercase digits.
public func percentEncode(_ text: String, keeping: (UInt8) -> Bool = isUnreservedURLByte) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count)
    for byte in text.utf8 {
        if keeping(byte) {
            out.append(byte)
        } else {
            let (high, low) = Hex.digits(byte, uppercase: true)
            out += [UInt8(ascii: "%"), high, low]
        }
    }
    return String(decoding: out, as: UTF8.self)
}

/// `%XX` decoding that forgives, for query strings and path segments: a `%` not followed by two hex digits is kept
/// as it is, bytes that are not UTF-8 become U+FFFD, and with `plusAsSpace` (query strings) `+` is a space.
public func percentDecode<S: StringProtocol>(_ text: S, plusAsSpace: Bool = true) -> String {
    let bytes = Array(text.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var i = 0
    while i < bytes.count {
        let byte = bytes[i]
        if byte == UInt8(ascii: "%"), i + 2 < bytes.count, let high = Hex.digitValue(bytes[i + 1]),
            let low = Hex.digitValue(bytes[i + 2])
        {
            out.append(high << 4 | low)
            i += 3
        } else {
            out.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            i += 1
        }
    }
    return String(decoding: out, as: UTF8.self)
}

/// Strict `%XX` decoding, for URLs in the configuration: nil when a `%` is not followed by two hex digits or the
/// result is not UTF-8. `+` stays `+`.
public func percentDecodeStrictly<S: StringProtocol>(_ text: S) -> String? {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    var iterator = text.utf8.makeIterator()
    while let byte = iterator.next() {
        guard byte == UInt8(ascii: "%") else {
            bytes.append(byte)
            continue
        }
        guard let h = iterator.next(), let l = iterator.next(), let high = Hex.digitValue(h),
            let low = Hex.digitValue(l)
        else { return nil }
        bytes.append(high << 4 | low)
    }
    return String(validating: bytes, as: UTF8.self)
}
