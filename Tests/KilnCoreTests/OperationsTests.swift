import KilnCore
import Testing

@Suite struct DiskMarkTests {
    @Test(arguments: [
        ("10%", DiskSpace.Mark.percent(10)), (" 2.5% ", .percent(2.5)), ("0%", .percent(0)), ("100%", .percent(100)),
        ("4096", .bytes(4096)), ("20G", .bytes(20 << 30)), ("20GiB", .bytes(20 << 30)), ("512M", .bytes(512 << 20)),
        ("512m", .bytes(512 << 20)), ("1T", .bytes(1 << 40)), ("3K", .bytes(3072)), ("7B", .bytes(7)), ("0", .bytes(0)),
    ])
    func parses(text: String, mark: DiskSpace.Mark) {
        #expect(DiskSpace.Mark(parsing: text) == mark)
    }

    @Test(arguments: ["", "%", "101%", "-1%", "-5", "G", "12X", "1.5G", "ten", "9999999999999T", "B", "iB"])
    func refuses(text: String) {
        #expect(DiskSpace.Mark(parsing: text) == nil)
    }

    @Test func aShareIsOfTheTotalRoundedUp() {
        #expect(DiskSpace.Mark.percent(10).bytes(of: 1005) == 101)
        #expect(DiskSpace.Mark.bytes(77).bytes(of: 1005) == 77)
        #expect(DiskSpace(freeBytes: 100, totalBytes: 1005).isBelow(.percent(10)))
        #expect(!DiskSpace(freeBytes: 101, totalBytes: 1005).isBelow(.percent(10)))
    }

    @Test func aQuotaNarrowsFreeSpaceAndTotal() {
        let volume = DiskSpace(freeBytes: 1000, totalBytes: 5000)
        #expect(volume.limited(quota: nil, usedByComposes: 10) == volume)
        #expect(volume.limited(quota: 800, usedByComposes: 300) == DiskSpace(freeBytes: 500, totalBytes: 800))
        // The volume's own free space still wins when it is smaller.
        #expect(volume.limited(quota: 4000, usedByComposes: 300) == DiskSpace(freeBytes: 1000, totalBytes: 4000))
        #expect(volume.limited(quota: 200, usedByComposes: 300).freeBytes == 0)
    }

    @Test(arguments: [
        (Int64(0), "0 B"), (1023, "1023 B"), (1024, "1 KiB"), (1536, "1.5 KiB"), (300 << 20, "300 MiB"),
        (Int64(1.25 * Double(1 << 30)), "1.3 GiB"), (5 << 40, "5 TiB"),
    ])
    func formats(bytes: Int64, text: String) {
        #expect(DiskSpace.format(bytes) == text)
    }
}

@Suite struct LeftoverNameTests {
    @Test(arguments: [
        ("odcs-12", Int64?.some(12)), ("latest-odcs-7-1", 7), ("odcs-3-1-20201010.n.0", 3), ("odcs-", nil),
        ("odcs-abc", nil),
        ("latest-odcs-", nil), ("odcs", nil), ("odcsx-1", nil), ("foo-odcs-9", 9), ("odcs-1a", nil), ("odcs-٣", nil),
    ])
    func composeIDOfAName(name: String, id: Int64?) {
        #expect(LeftoverName.composeID(of: name) == id)
    }

    @Test func workDirectoriesAndLinkTargets() {
        #expect(LeftoverName.composeID(ofWorkDirectory: ".tmp-odcs-41-host-123-removed") == 41)
        #expect(LeftoverName.composeID(ofWorkDirectory: ".tmp-odcs-x-host") == nil)
        #expect(LeftoverName.composeID(ofWorkDirectory: "odcs-41") == nil)
        #expect(LeftoverName.composeID(ofLinkTarget: "../odcs-5") == 5)
        #expect(LeftoverName.composeID(ofLinkTarget: "../odcs-5/compose") == nil)
        #expect(LeftoverName.composeID(ofLinkTarget: "/elsewhere/odcs-5") == nil)
        #expect(LeftoverName.composeID(ofLinkTarget: "odcs-5") == nil)
    }
}

@Suite struct TokenStatusTests {
    let now: Int64 = 1_800_000_000
    let day: Int64 = 86400

    @Test func classifiesByDaysLeft() {
        func status(_ left: Int64) -> TokenStatus {
            .classify(expiresAt: now + left, now: now, warnDays: 30, failDays: 7)
        }
        #expect(status(31 * day) == .ok)
        #expect(status(30 * day) == .ok)
        #expect(status(30 * day - 1) == .warning)
        #expect(status(7 * day) == .warning)
        #expect(status(7 * day - 1) == .failing)
        #expect(status(1) == .failing)
        #expect(status(0) == .expired)
        #expect(status(-day) == .expired)
    }

    @Test func onlyOkAndWarningPass() {
        #expect(TokenStatus.allCases.filter { !$0.fails } == [.ok, .warning])
        #expect(TokenStatus.allCases.map(\.metricValue) == [0, 1, 2, 3, 4])
    }

    @Test(arguments: [
        (JSON.int(1_800_000_000), Int64?.some(1_800_000_000)), (.double(1_800_000_000.9), 1_800_000_000),
        (.int(0), 0), (.int(253_402_300_799), 253_402_300_799),
        // Out of range, not finite, or not a number: no expiry, so the token is reported unreadable.
        (.int(-1), nil), (.int(253_402_300_800), nil), (.int(.max), nil), (.int(.min), nil), (.double(1e300), nil),
        (.double(-1e300), nil), (.double(.infinity), nil), (.double(.nan), nil), (.string("1800000000"), nil),
        (.bool(true), nil), (.null, nil),
    ])
    func expiryClaimsAreBoundedWhereTheyAreRead(_ v: (JSON, Int64?)) {
        #expect(TokenStatus.expiry(v.0) == v.1)
    }
}
