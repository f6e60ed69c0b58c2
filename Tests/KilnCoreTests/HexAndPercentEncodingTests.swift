import KilnCore
import Testing

/// Hex digits and percent-encoding, each written once in KilnCore: the forgiving decoder of query strings and
/// path segments, the strict one of configuration URLs, and the encoder of links and remote paths.
@Suite struct HexAndPercentEncodingTests {
    @Test func hexRoundTripsEveryByte() {
        let bytes = (0...255).map { UInt8($0) }
        let text = Hex.encode(bytes)
        #expect(text.utf8.count == 512)
        #expect(text.hasPrefix("000102"))
        #expect(text.hasSuffix("fdfeff"))
        #expect(Hex.decode(text) == bytes)
        #expect(Hex.decode(text.uppercased()) == bytes)
        #expect(Hex.encode([0xAB, 0x0F], uppercase: true) == "AB0F")
    }

    @Test(arguments: ["abc", "0g", "zz", "1 ", "é0"])
    func hexRefusesOddCountsAndOtherCharacters(_ text: String) {
        #expect(Hex.decode(text) == nil)
    }

    @Test func hexDigitValues() {
        #expect(Hex.digitValue(UInt8(ascii: "0")) == 0)
        #expect(Hex.digitValue(UInt8(ascii: "9")) == 9)
        #expect(Hex.digitValue(UInt8(ascii: "a")) == 10)
        #expect(Hex.digitValue(UInt8(ascii: "F")) == 15)
        #expect(Hex.digitValue(UInt8(ascii: "g")) == nil)
        #expect(Hex.digitValue(UInt8(ascii: "/")) == nil)
    }

    @Test(arguments: [
        ("a%20b", "a b", "a b"), ("a+b", "a b", "a+b"), ("%41%62", "Ab", "Ab"), ("100%", "100%", "100%"),
        ("%4", "%4", "%4"), ("%zz", "%zz", "%zz"), ("%e2%82%ac", "€", "€"), ("%ff", "\u{FFFD}", "\u{FFFD}"),
        ("%2F..%2F", "/../", "/../"),
    ])
    func forgivingDecoder(_ v: (String, String, String)) {
        #expect(percentDecode(v.0) == v.1)
        #expect(percentDecode(v.0, plusAsSpace: false) == v.2)
    }

    @Test func strictDecoder() {
        #expect(percentDecodeStrictly("%2F") == "/")
        #expect(percentDecodeStrictly("a+b%20c") == "a+b c")
        #expect(percentDecodeStrictly("%e2%82%ac") == "€")
        #expect(percentDecodeStrictly("100%") == nil)
        #expect(percentDecodeStrictly("%4") == nil)
        #expect(percentDecodeStrictly("%g1") == nil)
        #expect(percentDecodeStrictly("%ff") == nil)
    }

    @Test func encoderKeepsUnreservedAndWhatItIsTold() {
        #expect(percentEncode("a b/c~d-e_f.g") == "a%20b%2Fc~d-e_f.g")
        #expect(percentEncode("€") == "%E2%82%AC")
        #expect(percentEncode("a b/c", keeping: { $0 == UInt8(ascii: "/") || isUnreservedURLByte($0) }) == "a%20b/c")
        let every = String(decoding: (1...127).map { UInt8($0) }, as: UTF8.self)
        #expect(percentDecode(percentEncode(every), plusAsSpace: false) == every)
    }
}
