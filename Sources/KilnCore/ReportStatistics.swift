/// The statistics reports show, defined once. The store computes them in SQL over many rows at once with
/// `percentile_cont`, which is this same definition; store tests check both agree.
public enum ReportStatistics {
    /// The `fraction` percentile (0...1) of `values` by linear interpolation between the two nearest ranks: with
    /// n sorted values, the value at position (n - 1) * fraction, interpolated. The median of 1, 2, 3, 10 is 2.5;
    /// their 95th percentile 8.95. Nil for no values.
    public static func percentile(_ values: [Double], _ fraction: Double) -> Double? {
        guard !values.isEmpty, fraction.isFinite else { return nil }
        let sorted = values.sorted()
        let f = min(max(fraction, 0), 1)
        let position = Double(sorted.count - 1) * f
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let weight = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * weight
    }

    /// The binary packages of each variant of `contents`: distinct binary RPMs (one NEVRA counted once whatever
    /// arches of the variant list it), every variant of the list present (0 when it holds only debug or source
    /// RPMs), in variant order.
    public static func binaryPackagesPerVariant(_ entries: [ComposeContents.Entry]) -> [(
        variant: String, packages: Int
    )] {
        var sets: [String: Set<RPMNEVRA>] = [:]
        for e in entries {
            if e.category == .binary {
                sets[e.variant, default: []].insert(e.rpm)
            } else if sets[e.variant] == nil {
                sets[e.variant] = []
            }
        }
        return sets.keys.sorted().map { ($0, sets[$0]!.count) }
    }
}
