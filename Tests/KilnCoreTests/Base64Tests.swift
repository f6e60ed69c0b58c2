import KilnCore
import Testing

/// RFC 4648's test vectors in both alphabets, and what each decoder refuses.
@Suite struct Base64Tests {
    static let vectors: [(String, String, String)] = [
        ("", "", ""), ("f", "Zg==", "Zg"), ("fo", "Zm8=", "Zm8"), ("foo", "Zm9v", "Zm9v"),
        ("foob", "Zm9vYg==", "Zm9vYg"), ("fooba", "Zm9vYmE=", "Zm9vYmE"), ("foobar", "Zm9vYmFy", "Zm9vYmFy"),
    ]

    @Test(arguments: vectors)
    func rfc4648Vectors(_ v: (String, String, String)) {
        let bytes = Array(v.0.utf8)
        #expect(Base64.encode(bytes, lineLength: 76) == (v.1.isEmpty ? "" : v.1 + "\n"))
        #expect(Base64.decode(Array(v.1.utf8)) == bytes)
        #expect(Base64URL.encode(bytes) == v.2)
        #expect(Base64URL.decode(v.2) == bytes)
        #expect(Base64URL.decode(v.1) == bytes)
    }

    @Test func theURLAlphabetUsesDashAndUnderscore() {
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF]
        #expect(Base64.encode(bytes, lineLength: 76) == "+/+/\n")
        #expect(Base64URL.encode(bytes) == "-_-_")
        #expect(Base64URL.decode("-_-_") == bytes)
    }

    @Test(arguments: ["+/+/", "Zm9v Yg", "Zm9vY", "Zm\n9v", "Zm9v!"])
    func base64URLRefuses(_ text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}
