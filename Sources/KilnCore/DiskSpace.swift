/// Free space on the compose volume and the marks it is compared with (docs/configuration.md, `disk_*` keys).
public struct DiskSpace: Sendable, Equatable {
    /// Bytes an unprivileged writer may still use.
    public var freeBytes: Int64
    /// The size of the volume, or of the quota when one is set.
    public var totalBytes: Int64

    public init(freeBytes: Int64, totalBytes: Int64) {
        self.freeBytes = freeBytes
        self.totalBytes = totalBytes
    }

    /// The volume's figures, narrowed by a quota on the bytes Kiln's composes may hold (`target_dir_quota`):
    /// free is then the smaller of the volume's free space and what is left of the quota.
    public func limited(quota: Int64?, usedByComposes: Int64) -> DiskSpace {
        guard let quota else { return self }
        return DiskSpace(freeBytes: min(freeBytes, max(0, quota - usedByComposes)), totalBytes: min(totalBytes, quota))
    }

    public func isBelow(_ mark: Mark) -> Bool { freeBytes < mark.bytes(of: totalBytes) }

    /// A free-space threshold: a number of bytes (`"20G"`, `"500M"`, `1048576`) or a share of the volume (`"10%"`).
    public enum Mark: Sendable, Equatable, CustomStringConvertible {
        case bytes(Int64)
        case percent(Double)

        public func bytes(of total: Int64) -> Int64 {
            switch self {
            case .bytes(let b): b
            case .percent(let p): Int64((Double(total) * p / 100).rounded(.up))
            }
        }

        public var description: String {
            switch self {
            case .bytes(let b): DiskSpace.format(b)
            case .percent(let p): p == p.rounded() ? "\(Int(p))%" : "\(p)%"
            }
        }

        /// Parses `"10%"`, `"20G"`, `"20GiB"`, `"512M"`, `"4096"` (bytes; K, M, G, T are powers of 1024).
        /// Returns nil for anything else, a negative size, or a share over 100%.
        public init?(parsing text: String) {
            let t = text.trimmingWhitespace()
            if t.hasSuffix("%") {
                guard let p = Double(String(t.dropLast()).trimmingWhitespace()), p >= 0, p <= 100 else { return nil }
                self = .percent(p)
                return
            }
            var digits = Substring(t)
            var unit: Int64 = 1
            for suffix in ["iB", "B"] where digits.hasSuffix(suffix) && digits.count > suffix.count {
                digits = digits.dropLast(suffix.count)
                break
            }
            if let last = digits.last, let power = "KMGT".firstIndex(of: Character(last.uppercased())) {
                unit = 1 << (10 * (1 + "KMGT".distance(from: "KMGT".startIndex, to: power)))
                digits = digits.dropLast()
            }
            guard let n = Int64(digits), n >= 0, n <= Int64.max / unit else { return nil }
            self = .bytes(n * unit)
        }
    }

    /// `1.5 GiB`, `300 MiB`, `12 KiB`, `900 B`.
    public static func format(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(bytes)
        var index = 0
        while abs(value) >= 1024, index < units.count - 1 {
            value /= 1024
            index += 1
        }
        if index == 0 { return "\(bytes) B" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int(rounded)) \(units[index])" : "\(rounded) \(units[index])"
    }
}
