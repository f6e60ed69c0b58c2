/// Whole seconds since the Unix epoch, UTC; rendered as ODCS does (`YYYY-MM-DDTHH:MM:SSZ`).
public struct Timestamp: Sendable, Hashable, Comparable {
    public var secondsSinceEpoch: Int64

    public init(secondsSinceEpoch: Int64) { self.secondsSinceEpoch = secondsSinceEpoch }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.secondsSinceEpoch < b.secondsSinceEpoch }

    public func adding(seconds: Int64) -> Timestamp { Timestamp(secondsSinceEpoch: secondsSinceEpoch + seconds) }

    /// `2024-01-31T12:00:05Z`.
    public var iso8601: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        write(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `YYYY-MM-DDTHH:MM:SSZ`.
    public func write(into out: inout [UInt8]) {
        let days = floorDiv(secondsSinceEpoch, 86_400)
        let secondsOfDay = secondsSinceEpoch - days * 86_400
        let (year, month, day) = Self.civil(days: days)
        digits(year, 4, &out)
        out.append(UInt8(ascii: "-"))
        digits(month, 2, &out)
        out.append(UInt8(ascii: "-"))
        digits(day, 2, &out)
        out.append(UInt8(ascii: "T"))
        digits(secondsOfDay / 3600, 2, &out)
        out.append(UInt8(ascii: ":"))
        digits(secondsOfDay / 60 % 60, 2, &out)
        out.append(UInt8(ascii: ":"))
        digits(secondsOfDay % 60, 2, &out)
        out.append(UInt8(ascii: "Z"))
    }

    /// Year, month and day of the day `days` after 1970-01-01 (civil-from-days, after Howard Hinnant's public
    /// description of the algorithm).
    public static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }

    private func digits(_ value: Int64, _ width: Int, _ out: inout [UInt8]) {
        if value < 0 || value >= 10_000 || (width == 2 && value >= 100) {
            out.append(contentsOf: String(value).utf8)
            return
        }
        var divisor: Int64 = width == 4 ? 1000 : 10
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }
}
