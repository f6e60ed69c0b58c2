public import KilnCore

/// A timestamp column, or seconds since the epoch (`extract(epoch FROM t)::bigint`). Kiln's `timestamp` columns
/// hold UTC; a `timestamptz` value's offset is applied. Fractions of a second round to the nearest second, as a
/// numeric-to-bigint cast does.
extension Timestamp: PGDecodable {
    public static func decode(pgText text: String) -> Timestamp? {
        if let seconds = Int64(text) { return Timestamp(secondsSinceEpoch: seconds) }
        return TimestampText(text)?.timestamp
    }
}

/// `YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM]]`, PostgreSQL's ISO output.
struct TimestampText {
    var timestamp: Timestamp

    init?(_ text: String) {
        let bytes = Array(text.utf8)
        var i = 0
        func number(_ width: Int) -> Int64? {
            guard i + width <= bytes.count else { return nil }
            var value: Int64 = 0
            for b in bytes[i..<(i + width)] {
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int64(b - 48)
            }
            i += width
            return value
        }
        func expect(_ c: Character) -> Bool {
            guard i < bytes.count, bytes[i] == c.asciiValue else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            expect(" ") || expect("T"), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
            let second = number(2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var roundUp: Int64 = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
            guard i > start else { return nil }
            roundUp = bytes[start] >= UInt8(ascii: "5") ? 1 : 0
        }
        var offset: Int64 = 0
        if i < bytes.count {
            let sign: Int64 = bytes[i] == UInt8(ascii: "-") ? -1 : 1
            guard bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") else { return nil }
            i += 1
            guard let hours = number(2) else { return nil }
            var minutes: Int64 = 0
            if i < bytes.count {
                guard expect(":"), let m = number(2) else { return nil }
                minutes = m
            }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        guard i == bytes.count else { return nil }
        // Days from civil, after Howard Hinnant's public description of the algorithm.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        timestamp = Timestamp(secondsSinceEpoch: days * 86_400 + hour * 3600 + minute * 60 + second + roundUp - offset)
    }
}
