/// RPM's version ordering: `rpmvercmp` for one field, and epoch:version-release comparison on top of it.
/// Used to order builds ("latest"), and for compose diffs (upgraded vs. downgraded).
public struct RPMVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var epoch: String?
    public var version: String
    public var release: String?

    public init(epoch: String? = nil, version: String, release: String? = nil) {
        self.epoch = epoch
        self.version = version
        self.release = release
    }

    /// Parses `[epoch:]version[-release]` as rpm does: the epoch is the digits before the first `:`, the release
    /// what follows the last `-`.
    public init(parsing evr: String) {
        var rest = Substring(evr)
        if let colon = rest.firstIndex(of: ":"), rest[..<colon].allSatisfy({ $0.isASCII && $0.isNumber }) {
            epoch = rest[..<colon].isEmpty ? nil : String(rest[..<colon])
            rest = rest[rest.index(after: colon)...]
        }
        if let dash = rest.lastIndex(of: "-") {
            version = String(rest[..<dash])
            release = String(rest[rest.index(after: dash)...])
        } else {
            version = String(rest)
        }
    }

    public var description: String {
        (epoch.map { "\($0):" } ?? "") + version + (release.map { "-\($0)" } ?? "")
    }

    /// Epoch (missing = 0), then version, then release, as rpm ≥ 4.16 orders EVRs (`rpm.vercmp`, checked against
    /// it in RPMVersionTests): a missing release sorts before any release, even an empty one.
    public static func compare(_ a: RPMVersion, _ b: RPMVersion) -> Int {
        var result = compareField(a.epoch ?? "0", b.epoch ?? "0")
        if result == 0 { result = compareField(a.version, b.version) }
        if result == 0 {
            switch (a.release, b.release) {
            case (let ra?, let rb?): result = compareField(ra, rb)
            case (_?, nil): result = 1
            case (nil, _?): result = -1
            case (nil, nil): break
            }
        }
        return result
    }

    public static func < (a: RPMVersion, b: RPMVersion) -> Bool { compare(a, b) < 0 }

    public static func == (a: RPMVersion, b: RPMVersion) -> Bool { compare(a, b) == 0 }

    public func hash(into hasher: inout Hasher) { hasher.combine(description) }

    /// rpmvercmp: -1, 0 or 1. Alternating runs of digits and letters are compared (numbers numerically, a number
    /// beats letters); other characters only separate runs; `~` sorts before everything, even the end of the
    /// string; `^` sorts after the end of the string but before anything else.
    public static func compareField(_ a: String, _ b: String) -> Int {
        if a == b { return 0 }
        let one = Array(a.utf8)
        let two = Array(b.utf8)
        var i = 0
        var j = 0
        func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || isAlpha(c) }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func isAlpha(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
        let tilde = UInt8(ascii: "~")
        let caret = UInt8(ascii: "^")

        while i < one.count || j < two.count {
            while i < one.count, !isAlnum(one[i]), one[i] != tilde, one[i] != caret { i += 1 }
            while j < two.count, !isAlnum(two[j]), two[j] != tilde, two[j] != caret { j += 1 }

            let c1: UInt8? = i < one.count ? one[i] : nil
            let c2: UInt8? = j < two.count ? two[j] : nil
            if c1 == tilde || c2 == tilde {
                if c1 != tilde { return 1 }
                if c2 != tilde { return -1 }
                i += 1
                j += 1
                continue
            }
            if c1 == caret || c2 == caret {
                if c1 == nil { return -1 }
                if c2 == nil { return 1 }
                if c1 != caret { return 1 }
                if c2 != caret { return -1 }
                i += 1
                j += 1
                continue
            }
            guard let first = c1, c2 != nil else { break }

            let numeric = isDigit(first)
            let start1 = i
            let start2 = j
            if numeric {
                while i < one.count, isDigit(one[i]) { i += 1 }
                while j < two.count, isDigit(two[j]) { j += 1 }
            } else {
                while i < one.count, isAlpha(one[i]) { i += 1 }
                while j < two.count, isAlpha(two[j]) { j += 1 }
            }
            var seg1 = one[start1..<i]
            var seg2 = two[start2..<j]
            // Runs of different kinds: a number is newer than letters.
            if seg2.isEmpty { return numeric ? 1 : -1 }
            if numeric {
                seg1 = seg1.drop(while: { $0 == 0x30 })
                seg2 = seg2.drop(while: { $0 == 0x30 })
                if seg1.count != seg2.count { return seg1.count > seg2.count ? 1 : -1 }
            }
            if !seg1.elementsEqual(seg2) { return seg1.lexicographicallyPrecedes(seg2) ? -1 : 1 }
        }
        let left1 = i < one.count
        let left2 = j < two.count
        if !left1 && !left2 { return 0 }
        return left1 ? 1 : -1
    }
}
