/// A Prometheus histogram with fixed buckets: how many observations fell at or below each bound, their sum and
/// their count. Counts are kept per bucket (not cumulative) and made cumulative when written out.
public struct Histogram: Sendable, Equatable {
    /// Request latency through the responder, in seconds.
    public static let requestSeconds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// Compose generation, in seconds: from a few seconds for a small repository to hours for a large Koji tag.
    public static let generationSeconds: [Double] = [
        1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 28800,
    ]

    /// Upper bounds, ascending; the `+Inf` bucket follows the last.
    public let bounds: [Double]
    /// `counts[i]`: observations above `bounds[i - 1]` and at most `bounds[i]`; the last one, those above every bound.
    public private(set) var counts: [Int64]
    public private(set) var sum: Double = 0

    public init(bounds: [Double]) {
        self.bounds = bounds
        counts = Array(repeating: 0, count: bounds.count + 1)
    }

    public var count: Int64 { counts.reduce(0, +) }

    /// The bucket `value` falls in: the first whose bound is at least `value`.
    public func bucket(for value: Double) -> Int {
        bounds.firstIndex { value <= $0 } ?? bounds.count
    }

    /// A bucket's upper bound, `.infinity` for the last.
    public func bound(ofBucket index: Int) -> Double { index < bounds.count ? bounds[index] : .infinity }

    public mutating func observe(_ value: Double) {
        let v = value.isFinite ? max(0, value) : 0
        counts[bucket(for: v)] += 1
        sum += v
    }

    /// Adds `count` observations summing to `sum` that were counted in a bucket bounded by `bound` (a stored count,
    /// perhaps written when the buckets were other ones: it lands in the first bucket whose bound is at least
    /// `bound`, so no observation is ever counted below its true bound).
    public mutating func add(count: Int64, sum: Double, countedAtOrBelow bound: Double) {
        counts[bucket(for: bound)] += count
        self.sum += sum
    }

    /// The `_bucket`, `_sum` and `_count` samples of `name` in the Prometheus text format, with `labels` (rendered
    /// `a="x",b="y"`, or empty) on every line before `le`.
    public func samples(name: String, labels: String) -> String {
        let prefix = labels.isEmpty ? "" : labels + ","
        var out = ""
        var cumulative: Int64 = 0
        for index in counts.indices {
            cumulative += counts[index]
            let bound = self.bound(ofBucket: index)
            out += "\(name)_bucket{\(prefix)le=\"\(bound.isFinite ? "\(bound)" : "+Inf")\"} \(cumulative)\n"
        }
        let braces = labels.isEmpty ? "" : "{\(labels)}"
        out += "\(name)_sum\(braces) \(sum)\n"
        out += "\(name)_count\(braces) \(cumulative)\n"
        return out
    }
}
