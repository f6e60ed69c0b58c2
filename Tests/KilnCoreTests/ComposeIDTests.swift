import Testing

@testable import KilnCore

/// productmd compose ids.
@Suite struct ComposeIDTests {
    let rawhide = ComposeID.Product(short: "Fedora", version: "Rawhide")

    @Test(arguments: [
        (ComposeID.ComposeType.nightly, "Fedora-Rawhide-20200517.n.1"), (.production, "Fedora-Rawhide-20200517.1"),
        (.test, "Fedora-Rawhide-20200517.t.1"), (.ci, "Fedora-Rawhide-20200517.ci.1"),
        (.development, "Fedora-Rawhide-20200517.d.1"),
    ])
    func typesGiveProductmdSuffixes(_ testCase: (ComposeID.ComposeType, String)) {
        #expect(ComposeID(release: rawhide, date: "20200517", type: testCase.0, respin: 1).description == testCase.1)
    }

    @Test func releaseTypesAndLayeredProducts() {
        var updates = rawhide
        updates.type = "updates"
        #expect(
            ComposeID(release: updates, date: "20200517", type: .production, respin: 1).description
                == "Fedora-Rawhide-updates-20200517.1")
        var ga = rawhide
        ga.type = "GA"
        #expect(
            ComposeID(release: ga, date: "20200517", type: .production, respin: 0).description
                == "Fedora-Rawhide-20200517.0")
        let layered = ComposeID(
            release: rawhide, baseProduct: .init(short: "BP", version: "8", type: "eus"), date: "20200517",
            type: .production, respin: 1)
        #expect(layered.description == "Fedora-Rawhide-BP-8-eus-20200517.1")
        #expect(layered.releaseDateRespin == "Fedora-Rawhide-20200517.1")
    }

    @Test func rhel5VariantSpecialCase() {
        let rhel5 = ComposeID.Product(short: "RHEL", version: "5.11")
        let client = ComposeID(
            release: rhel5, baseProduct: .init(short: "RHEL", version: "5"), date: "20200101", type: .production,
            respin: 0, firstVariant: "Client")
        #expect(client.description == "RHEL-5.11-RHEL-5-Client-20200101.0")
        var other = client
        other.firstVariant = "Workstation"
        #expect(other.description == "RHEL-5.11-RHEL-5-20200101.0")
    }

    @Test func validation() {
        #expect(ComposeID(release: rawhide, date: "20200517", type: .nightly, respin: 0).validationError == nil)
        #expect(
            ComposeID(release: rawhide, date: "2020-05-17", type: .nightly, respin: 0).validationError
                == "Compose: Field 'date' has invalid value: 2020-05-17")
        #expect(
            ComposeID(release: .init(short: "F", version: "1.x"), date: "20200517", type: .nightly, respin: 0)
                .validationError == "Release: Field 'version' has invalid value: 1.x")
        #expect(
            ComposeID(
                release: .init(short: "F", version: "8.10", type: "foo"), date: "20200517", type: .nightly, respin: 0
            )
            .validationError == "Release: Field 'type' has invalid value: foo")
        #expect(
            ComposeID.isVersion("Rawhide") && ComposeID.isVersion("8.10") && !ComposeID.isVersion("8.")
                && !ComposeID.isVersion(""))
        #expect(ComposeID.isValidLabel("RC-1.2") && ComposeID.isValidLabel("Beta-1.0"))
        #expect(!ComposeID.isValidLabel("Alpha-1") && !ComposeID.isValidLabel("Gamma-1.0"))
    }

    @Test func parsesDateTypeAndRespinBack() {
        for type in ComposeID.ComposeType.allCases {
            let id = ComposeID(release: rawhide, date: "20240425", type: type, respin: 7).description
            let parsed = ComposeID.dateTypeRespin(of: id)
            #expect(parsed?.date == "20240425" && parsed?.type == type && parsed?.respin == 7, "\(id)")
        }
        #expect(ComposeID.dateTypeRespin(of: "odcs-42-1-20240425.t.0")?.respin == 0)
        #expect(ComposeID.dateTypeRespin(of: "no-date-here") == nil)
        #expect(ComposeID.ComposeType.test < .production && .nightly < .production)
    }
}
