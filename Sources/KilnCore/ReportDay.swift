/// A calendar day in UTC, counted from 1970-01-01 (day 0): the unit every report buckets by.
public struct ReportDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public var number: Int

    public init(number: Int) { self.number = number }

    /// The day holding `seconds` since the epoch.
    public init(containing seconds: Int64) {
        number = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }

    /// The days a report may name: from the epoch to the day before the last four-digit year ends (so the day
    /// after a period is still a four-digit date).
    public static let earliest = ReportDay(number: 0)
    public static let latest = ReportDay(year: 9999, month: 12, day: 30)

    /// `YYYY-MM-DD`, exactly: four-digit year from 0001, a real month and a day that month has. Nil otherwise.
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for b in bytes[range] {
                guard b >= 0x30, b <= 0x39 else { return nil }
                n = n * 10 + Int(b - 0x30)
            }
            return n
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10), y >= 1, (1...12).contains(m),
            d >= 1, d <= Self.daysIn(month: m, year: y)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Days-from-civil after Howard Hinnant's public description of the algorithm.
    public init(year: Int, month: Int, day: Int) {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        number = era * 146_097 + dayOfEra - 719_468
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Year, month and day (civil-from-days).
    public var civil: (year: Int, month: Int, day: Int) {
        let (y, m, d) = Timestamp.civil(days: Int64(number))
        return (Int(y), Int(m), Int(d))
    }

    /// `2026-12-03`.
    public var description: String {
        let (y, m, d) = civil
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    /// `20261203`: a productmd compose date, as tracked composes store it.
    public var compact: String {
        let (y, m, d) = civil
        return pad(y, 4) + pad(m, 2) + pad(d, 2)
    }

    /// The day a productmd date (`YYYYMMDD`) names; nil for anything else.
    public init?(compact text: String) {
        guard text.utf8.count == 8, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let t = Array(text)
        self.init(parsing: String(t[0..<4]) + "-" + String(t[4..<6]) + "-" + String(t[6..<8]))
    }

    public func adding(days: Int) -> ReportDay { ReportDay(number: number + days) }

    public static func < (a: ReportDay, b: ReportDay) -> Bool { a.number < b.number }

    private func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
