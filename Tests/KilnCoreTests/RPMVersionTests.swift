import Foundation
import Testing

@testable import KilnCore

/// rpm's version order, checked against rpm itself.
@Suite struct RPMVersionTests {
    static let known: [(String, String, Int)] = [
        ("1.0", "1.0", 0), ("1.0", "2.0", -1), ("2.0.1", "2.0", 1), ("2.0.1a", "2.0.1", 1), ("5.5p1", "5.5p2", -1),
        ("5.5p10", "5.5p1", 1), ("10xyz", "10.1xyz", -1), ("xyz10", "xyz10.1", -1), ("xyz.4", "8", -1),
        ("1.0~rc1", "1.0", -1),
        ("1.0~rc1", "1.0~rc2", -1), ("1.0~rc1~git", "1.0~rc1", -1), ("1.0^", "1.0", 1), ("1.0^git1", "1.0.1", -1),
        ("1.0^git1", "1.0^git2", -1), ("1.0^git1~pre", "1.0^git1", -1), ("001", "1", 0), ("1.a", "1.1", -1),
        ("a", "1", -1),
        ("1_0", "1.0", 0), ("1++", "1_", 0), ("+", "_", 0),
    ]

    @Test(arguments: known)
    func knownPairs(_ pair: (String, String, Int)) {
        #expect(RPMVersion.compareField(pair.0, pair.1) == pair.2, "\(pair.0) vs \(pair.1)")
        #expect(RPMVersion.compareField(pair.1, pair.0) == -pair.2, "\(pair.1) vs \(pair.0)")
    }

    @Test func evrParsingAndOrder() {
        let v = RPMVersion(parsing: "2:1.4.5-3.fc40")
        #expect(v.epoch == "2" && v.version == "1.4.5" && v.release == "3.fc40")
        #expect(RPMVersion(parsing: "1.0-1") < RPMVersion(parsing: "1:0.1-1"))
        #expect(RPMVersion(parsing: "0:1.0-1") == RPMVersion(parsing: "1.0-1"))
        #expect(RPMVersion(parsing: "1.0") < RPMVersion(parsing: "1.0-5")) // rpm: a missing release sorts first
        #expect(RPMVersion(parsing: "1.0") < RPMVersion(parsing: "1.0-"))
        #expect(RPMVersion(parsing: "1.0-2") < RPMVersion(parsing: "1.0-10~rc"))
    }

    /// A deterministic generator of awkward version strings.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        mutating func field() -> String {
            let pieces = [
                "0", "1", "2", "9", "10", "010", "00", "123456789012345678901234567890", "a", "b", "rc", "git", "Z",
                "~", "^", ".", "_", "+", "-x",
            ]
            var s = ""
            for _ in 0..<(1 + Int(next() % 6)) { s += pieces[Int(next() % UInt64(pieces.count))] }
            return s.replacingOccurrences(of: "-", with: ".")
        }
    }

    /// Runs rpm's own `rpm.vercmp` (rpm ≥ 4.16) over all pairs in one process.
    static func rpmVercmp(_ pairs: [(String, String)]) throws -> [Int] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kiln-vercmp-\(getpid())-\(UUID().uuidString).txt")
        try pairs.map { "\($0.0)\t\($0.1)\n" }.joined().write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let script =
            "%{lua: for line in io.lines(\"\(file.path)\") do local a, b = line:match(\"^(.-)\\t(.*)$\"); "
            + "print(rpm.vercmp(a, b) .. \"\\n\") end}"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/rpm")
        process.arguments = ["--eval", script]
        let out = Pipe()
        process.standardOutput = out
        do {
            try process.run()
        } catch {
            Issue.record(
                "rpm is needed for this test and was not found at /usr/bin/rpm (make test installs it): \(error)")
            throw error
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap { Int($0) }
    }

    @Test func agreesWithRPMOnThousandsOfGeneratedPairs() throws {
        var generator = Generator(state: 20_261_121)
        var pairs: [(String, String)] = Self.known.map { ($0.0, $0.1) }
        for _ in 0..<3000 { pairs.append((generator.field(), generator.field())) }
        for _ in 0..<500 {
            let a = generator.field()
            pairs.append((a, a + generator.field()))
            pairs.append(
                (
                    "\(generator.next() % 3):\(generator.field())-\(generator.field())",
                    "\(generator.next() % 3):\(generator.field())-\(generator.field())"
                ))
        }
        let expected = try Self.rpmVercmp(pairs)
        try #require(expected.count == pairs.count, "rpm answered \(expected.count) of \(pairs.count) comparisons")
        var mismatches: [String] = []
        for (index, pair) in pairs.enumerated() {
            let ours = RPMVersion.compare(RPMVersion(parsing: pair.0), RPMVersion(parsing: pair.1))
            if ours != expected[index] {
                mismatches.append("\(pair.0) vs \(pair.1): rpm \(expected[index]), kiln \(ours)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20).joined(separator: "\n"))")
    }

    /// Every pairing of versions, epochs and releases built around `~` and `^`: the cases where a naive order fails.
    static func tildeCaretEpochEVRs() -> [String] {
        let versions = [
            "1.0", "1.0~rc1", "1.0~rc1~git", "1.0~~", "1.0^", "1.0^git1", "1.0^git1~pre", "1.0~rc1^git", "1.0.1",
            "1.0a", "01.0",
            "1~", "1^", "1",
        ]
        let epochs = ["", "0:", "1:", "10:"]
        let releases = ["", "-1", "-1.fc40", "-1~beta", "-1^post", "-10", "-1~"]
        return epochs.flatMap { e in versions.flatMap { v in releases.map { r in e + v + r } } }
    }

    @Test func agreesWithRPMOnEveryPairOfTildeCaretAndEpochVersions() throws {
        let evrs = Self.tildeCaretEpochEVRs()
        var pairs: [(String, String)] = []
        for a in evrs { for b in evrs { pairs.append((a, b)) } }
        let expected = try Self.rpmVercmp(pairs)
        try #require(expected.count == pairs.count, "rpm answered \(expected.count) of \(pairs.count) comparisons")
        var mismatches: [String] = []
        for (index, pair) in pairs.enumerated() {
            let ours = RPMVersion.compare(RPMVersion(parsing: pair.0), RPMVersion(parsing: pair.1))
            if ours != expected[index] {
                mismatches.append("\(pair.0) vs \(pair.1): rpm \(expected[index]), kiln \(ours)")
            }
        }
        #expect(pairs.count > 10_000)
        #expect(
            mismatches.count == 0,
            "\(mismatches.count) mismatches, e.g.: \(mismatches.prefix(20).joined(separator: "; "))")
    }

    /// A compose diff calls a package upgraded exactly when rpm says its new EVR is newer, downgraded when older.
    @Test func composeDiffClassifiesAsRPMOrders() throws {
        var generator = Generator(state: 5_551_212)
        let evrs = Self.tildeCaretEpochEVRs().filter { $0.contains("-") }
        var pairs: [(String, String)] = []
        for _ in 0..<3000 {
            pairs.append(
                (evrs[Int(generator.next() % UInt64(evrs.count))], evrs[Int(generator.next() % UInt64(evrs.count))]))
        }
        let expected = try Self.rpmVercmp(pairs)
        try #require(expected.count == pairs.count)
        func nevra(_ index: Int, _ evr: String) -> RPMNEVRA {
            let v = RPMVersion(parsing: evr)
            return RPMNEVRA(
                name: "p\(index)", epoch: Int(v.epoch ?? "0")!, version: v.version, release: v.release!, arch: "x86_64")
        }
        var leaving: [ComposeDiff.Item] = []
        var arriving: [ComposeDiff.Item] = []
        for (i, pair) in pairs.enumerated() where nevra(i, pair.0) != nevra(i, pair.1) {
            leaving.append(.init(variant: "V", arch: "x86_64", rpm: nevra(i, pair.0)))
            arriving.append(.init(variant: "V", arch: "x86_64", rpm: nevra(i, pair.1)))
        }
        let tree = try #require(
            ComposeDiff(from: "a", to: "b", leaving: leaving, arriving: arriving, unchanged: 0).trees.first)
        let upgraded = Set(tree.upgraded.map(\.to.name))
        let downgraded = Set(tree.downgraded.map(\.to.name))
        let swapped = Set(tree.added.map(\.name))
        var wrong: [String] = []
        for (i, pair) in pairs.enumerated() where nevra(i, pair.0) != nevra(i, pair.1) {
            let name = "p\(i)"
            let got = upgraded.contains(name) ? -1 : downgraded.contains(name) ? 1 : swapped.contains(name) ? 0 : 99
            if got != expected[i] { wrong.append("\(pair.0) -> \(pair.1): rpm \(expected[i]), diff \(got)") }
        }
        #expect(!upgraded.isEmpty && !downgraded.isEmpty)
        #expect(wrong.count == 0, "\(wrong.count) wrong, e.g.: \(wrong.prefix(20).joined(separator: "; "))")
    }
}
