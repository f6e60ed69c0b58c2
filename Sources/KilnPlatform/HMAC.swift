internal import CCrypto

/// HMAC-SHA256 through OpenSSL's libcrypto: what signs the local stack's development tokens and the pages' session
/// cookies and CSRF tokens.
public enum HMAC {
    public static func sha256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let ok = key.withUnsafeBytes { k in
            data.withUnsafeBufferPointer { d in
                out.withUnsafeMutableBufferPointer { o in
                    CCrypto_hmacSHA256(k.baseAddress, Int32(key.count), d.baseAddress, d.count, o.baseAddress)
                }
            }
        }
        precondition(ok == 1, "HMAC-SHA256 failed")
        return out
    }
}
