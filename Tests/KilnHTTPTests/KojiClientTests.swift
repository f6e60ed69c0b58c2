import Foundation
import KilnHTTP
import Testing

/// The fixture Koji (Tests/Fixtures/make-koji-fixture over the sample RPMs) behind the stand-in, and a client for it.
private func kojiSession() throws -> (KojiFixture, KojiStandIn, KojiClient) {
    let fixture = try KojiFixture.get()
    let server = try KojiStandIn.start(state: fixture.state, topdir: fixture.topdir)
    let koji = KojiClient(hubURL: server.hubURL, topURL: server.topURL, client: try HTTPClient())
    return (fixture, server, koji)
}

private func faultOf(_ body: () throws -> Void) -> XMLRPCFault? {
    do {
        try body()
        return nil
    } catch let fault as XMLRPCFault {
        return fault
    } catch {
        return nil
    }
}

@Suite struct KojiPathTests {
    /// Koji's documented XML-RPC examples.
    @Test func pathsFollowKojiPathInfo() {
        let paths = KojiPathInfo(top: "https://kojipkgs.fedoraproject.org/")
        let build = KojiBuild(id: 2_391_207, name: "bash", version: "5.2.26", release: "3.fc40")
        let devel = KojiRPM(
            id: 1, buildID: 2_391_207, name: "bash-devel", version: "5.2.26", release: "3.fc40", arch: "x86_64")
        let source = KojiRPM(
            id: 2, buildID: 2_391_207, name: "bash", version: "5.2.26", release: "3.fc40", epoch: 1, arch: "src")
        #expect(
            paths.rpmPath(build: build, rpm: devel)
                == "https://kojipkgs.fedoraproject.org/packages/bash/5.2.26/3.fc40/x86_64/"
                + "bash-devel-5.2.26-3.fc40.x86_64.rpm"
        )
        #expect(
            paths.rpmPath(build: build, rpm: source)
                == "https://kojipkgs.fedoraproject.org/packages/bash/5.2.26/3.fc40/src/bash-5.2.26-3.fc40.src.rpm")
        #expect(
            paths.signedRPMPath(build: build, rpm: devel, sigkey: "A15B79CC")
                == "https://kojipkgs.fedoraproject.org/packages/bash/5.2.26/3.fc40/data/signed/a15b79cc/x86_64/"
                + "bash-devel-5.2.26-3.fc40.x86_64.rpm")
        #expect(
            paths.signatureCachePath(build: build, rpm: devel, sigkey: "a15b79cc")
                == "https://kojipkgs.fedoraproject.org/packages/bash/5.2.26/3.fc40/data/sigcache/a15b79cc/x86_64/"
                + "bash-devel-5.2.26-3.fc40.x86_64.rpm.sig")
        var onVolume = build
        onVolume.volumeName = "archive"
        #expect(
            KojiPathInfo(top: "/mnt/koji").buildDirectory(onVolume)
                == "/mnt/koji/vol/archive/packages/bash/5.2.26/3.fc40")
        #expect(KojiPathInfo(top: "/mnt/koji//").buildDirectory(build) == "/mnt/koji/packages/bash/5.2.26/3.fc40")
    }
}

@Suite struct KojiClientTests {
    @Test func eventsAndTags() throws {
        let (_, server, koji) = try kojiSession()
        defer { server.stop() } // keeps the server alive (and then stops it) until the test ends
        let event = try koji.getLastEvent()
        #expect(event.id == 200)
        #expect(event.ts == 1_700_012_000.5)
        #expect(koji.hubVersion == "1.36.1")
        #expect(try koji.getEvent(100).id == 100)

        let tag = try #require(try koji.getTag("f40-build"))
        #expect(tag.id == 2)
        #expect(tag.name == "f40-build")
        #expect(tag.arches == ["x86_64"])
        #expect(tag.locked == false)
        #expect(tag.queryEvent == nil)
        #expect(try koji.getTag("f40-build", event: 150)?.queryEvent == 150)
        #expect(try koji.getTag(id: 1)?.name == "f40")
        // Unknown tags are nil, not faults (ODCS relies on this); so is a tag read before it existed.
        #expect(try koji.getTag("no-such-tag") == nil)
        #expect(try koji.getTag("f40", event: 0) == nil)

        let inheritance = try koji.getFullInheritance(tag.id)
        #expect(inheritance.count == 1)
        #expect(inheritance.first?.parentID == 1)
        #expect(inheritance.first?.name == "f40")
        #expect(inheritance.first?.childID == 2)
        #expect(inheritance.first?.depth == 1)
        #expect(try koji.getFullInheritance(1).isEmpty)
        #expect(try koji.getFullInheritance(2, event: 150).count == 1)
        #expect(
            faultOf { _ = try koji.getFullInheritance(99) }
                == XMLRPCFault(code: 1000, message: "No such entry in table tag: 99"))
    }

    @Test func listTaggedRPMSPinsEventsAndWalksInheritance() throws {
        let (_, server, koji) = try kojiSession()
        defer { server.stop() } // keeps the server alive (and then stops it) until the test ends
        func builds(_ tag: String, event: Int64?, inherit: Bool, latest: Bool) throws -> [String] {
            try koji.listTaggedRPMS(tag, event: event, inherit: inherit, latest: latest).builds.map {
                "\($0.nvr)@\($0.tagName ?? "?")"
            }.sorted()
        }
        let common = [
            "kiln-broken-1.0-1@f40", "kiln-doc-1.0-1@f40", "kiln-extra-2.0-1@f40", "kiln-hello-1.0-1@f40",
            "kiln-tools-3.0~rc1-2@f40",
        ]
        // Before kiln-lib 1.1 was tagged (event 200), inheritance gives f40's kiln-lib 1.0.
        #expect(
            try builds("f40-build", event: 150, inherit: true, latest: true)
                == (common + ["kiln-lib-1.0-1@f40"]).sorted())
        // At 200 the nearest tag (f40-build itself) wins for kiln-lib.
        #expect(
            try builds("f40-build", event: 200, inherit: true, latest: true)
                == (common + ["kiln-lib-1.1-1@f40-build"]).sorted())
        #expect(
            try builds("f40-build", event: nil, inherit: true, latest: true)
                == (common + ["kiln-lib-1.1-1@f40-build"]).sorted())
        // Without latest, both kiln-lib builds are listed.
        #expect(
            try builds("f40-build", event: 200, inherit: true, latest: false)
                == (common + ["kiln-lib-1.0-1@f40", "kiln-lib-1.1-1@f40-build"]).sorted())
        // Without inheritance only what is tagged into f40-build itself.
        #expect(try builds("f40-build", event: 200, inherit: false, latest: true) == ["kiln-lib-1.1-1@f40-build"])
        #expect(try builds("f40-build", event: 150, inherit: false, latest: true) == [])
        // f40 never sees 1.1; before event 100 it is empty.
        #expect(
            try builds("f40", event: 200, inherit: true, latest: true) == (common + ["kiln-lib-1.0-1@f40"]).sorted())
        #expect(try builds("f40", event: 99, inherit: true, latest: true) == [])

        let (rpms, tagged) = try koji.listTaggedRPMS("f40-build", event: 200, inherit: true, latest: true)
        let lib = try #require(tagged.first { $0.name == "kiln-lib" })
        #expect(lib.createEvent == 200)
        #expect(lib.tagID == 2)
        let buildIDs = Set(tagged.map(\.id))
        #expect(rpms.allSatisfy { buildIDs.contains($0.buildID) })
        #expect(
            rpms.map(\.filename).sorted() == [
                "kiln-broken-1.0-1.noarch.rpm", "kiln-broken-1.0-1.src.rpm", "kiln-doc-1.0-1.noarch.rpm",
                "kiln-doc-1.0-1.src.rpm",
                "kiln-extra-2.0-1.noarch.rpm", "kiln-extra-2.0-1.src.rpm", "kiln-hello-1.0-1.src.rpm",
                "kiln-hello-1.0-1.x86_64.rpm",
                "kiln-hello-debuginfo-1.0-1.x86_64.rpm", "kiln-lib-1.1-1.noarch.rpm", "kiln-lib-1.1-1.src.rpm",
                "kiln-tools-3.0~rc1-2.src.rpm", "kiln-tools-3.0~rc1-2.x86_64.rpm",
            ])
        let tools = try #require(rpms.first { $0.name == "kiln-tools" && $0.arch == "x86_64" })
        #expect(tools.epoch == 1)
        #expect(tools.payloadhash.count == 32)
        #expect(tools.size > 0)
        #expect(tools.sigkey == nil)

        // The arch filter narrows the RPMs only.
        let noarch = try koji.listTaggedRPMS("f40-build", event: 200, inherit: true, latest: true, arches: ["noarch"])
        #expect(noarch.rpms.allSatisfy { $0.arch == "noarch" })
        #expect(noarch.rpms.count == 4)
        #expect(noarch.builds.count == tagged.count)

        // With signatures: one row per key, nil for kiln-tools (unsigned).
        let signed = try koji.listTaggedRPMS("f40", event: 200, inherit: false, latest: true, rpmsigs: true).rpms
        #expect(signed.filter { $0.name == "kiln-tools" }.allSatisfy { $0.sigkey == nil })
        #expect(signed.filter { $0.name != "kiln-tools" }.allSatisfy { $0.sigkey == "5a1d7e57" })

        #expect(
            faultOf { _ = try koji.listTaggedRPMS("no-such-tag") }
                == XMLRPCFault(code: 1000, message: "No such tagInfo: 'no-such-tag'"))
    }

    @Test func buildsRPMsAndSignatures() throws {
        let (_, server, koji) = try kojiSession()
        defer { server.stop() } // keeps the server alive (and then stops it) until the test ends
        let tools = try #require(try koji.getBuild("kiln-tools-3.0~rc1-2"))
        #expect(tools.name == "kiln-tools")
        #expect(tools.version == "3.0~rc1")
        #expect(tools.release == "2")
        #expect(tools.epoch == 1)
        #expect(tools.nvr == "kiln-tools-3.0~rc1-2")
        #expect(tools.state == KojiBuild.State.complete)
        #expect(tools.volumeName == "DEFAULT")
        #expect(tools.tagID == nil)
        #expect(try koji.getBuild(id: tools.id)?.nvr == tools.nvr)
        #expect(try koji.getBuild("kiln-lib-9-9") == nil)
        #expect(try koji.getBuild(id: 9999) == nil)
        #expect(faultOf { _ = try koji.getBuild("foo") } == XMLRPCFault(code: 1000, message: "invalid format: foo"))

        let lib = try #require(try koji.getBuild("kiln-lib-1.0-1"))
        #expect(lib.epoch == nil)
        let rpms = try koji.listBuildRPMs(lib.id)
        #expect(rpms.map(\.filename).sorted() == ["kiln-lib-1.0-1.noarch.rpm", "kiln-lib-1.0-1.src.rpm"])
        #expect(rpms.allSatisfy { $0.buildID == lib.id })
        #expect(try koji.listBuildRPMs(nvr: "kiln-lib-1.0-1").map(\.id).sorted() == rpms.map(\.id).sorted())
        #expect(try koji.listBuildRPMs(9999).isEmpty)
        #expect(
            faultOf { _ = try koji.listBuildRPMs(nvr: "nope-1-1") }
                == XMLRPCFault(code: 1000, message: "No such build: 'nope-1-1'"))

        #expect(try koji.queryRPMSigs(rpmID: rpms[0].id) == ["5a1d7e57"])
        let toolRPMs = try koji.listBuildRPMs(tools.id)
        #expect(try koji.queryRPMSigs(rpmID: toolRPMs[0].id).isEmpty)
    }

    @Test func tagChangedSinceEvent() throws {
        let (_, server, koji) = try kojiSession()
        defer { server.stop() } // keeps the server alive (and then stops it) until the test ends
        #expect(try koji.tagChangedSinceEvent(150, tags: [2]))
        #expect(try koji.tagChangedSinceEvent(150, tags: [1, 2]))
        #expect(try !koji.tagChangedSinceEvent(150, tags: [1]))
        #expect(try !koji.tagChangedSinceEvent(200, tags: [1, 2]))
        #expect(try koji.tagChangedSinceEvent(99, tags: [1]))
    }

    @Test func faultsAndWireErrors() throws {
        let (_, server, koji) = try kojiSession()
        defer { server.stop() } // keeps the server alive (and then stops it) until the test ends
        #expect(
            faultOf { _ = try koji.call("noSuchMethod") }
                == XMLRPCFault(code: 1000, message: "Invalid method: noSuchMethod"))
        #expect(
            faultOf { _ = try koji.call("getTag", ["f40"], kwargs: ["foo": 1]) }
                == XMLRPCFault(code: 1019, message: "RootExports.getTag() got an unexpected keyword argument 'foo'"))
        #expect(
            faultOf { _ = try koji.call("getTag", [.double(1.5)]) }
                == XMLRPCFault(code: 1019, message: "Invalid name or id value: 1.5"))
        #expect(
            faultOf { _ = try koji.call("listTaggedRPMS", ["f40"], kwargs: ["event": "123"]) }
                == XMLRPCFault(code: 1000, message: "Invalid event: '123'"))
        // A hub that answers with something other than 200 (here: a wrong path) is an HTTP status error.
        let wrongPath = KojiClient(
            hubURL: server.baseURL + "/not-the-hub", topURL: server.topURL, client: try HTTPClient())
        do {
            _ = try wrongPath.getLastEvent()
            Issue.record("expected an HTTP status error")
        } catch let error as HTTPClientError {
            #expect(error.isHTTPStatus(404))
        }
        // Large values travel as <i8> and come back intact.
        #expect(
            try koji.call("echo", [.int(11_093_421_000), .nil, "a & <b>"]) == [.int(11_093_421_000), .nil, "a & <b>"])
    }

    /// The paths the client computes exist under the served top directory: unsigned, signed (sigkey lowercased),
    /// and a real 404 where Koji holds a key but never wrote the signed copy (kiln-extra).
    @Test func pathsResolveAgainstTheServedTopDirectory() throws {
        let (fixture, server, koji) = try kojiSession()
        defer { server.stop() } // keeps the server alive (and then stops it) until the test ends
        let http = try HTTPClient()
        let (rpms, builds) = try koji.listTaggedRPMS("f40-build", event: 200, inherit: true, latest: true)
        let buildsByID = Dictionary(uniqueKeysWithValues: builds.map { ($0.id, $0) })
        let directory = try makeScratchDirectory("koji-download")
        for rpm in rpms {
            let build = try #require(buildsByID[rpm.buildID])
            let target = directory + "/" + rpm.filename
            #expect(try http.download(koji.rpmPath(build: build, rpm: rpm), to: target) == 200)
            #expect(
                FileManager.default.contents(atPath: target)
                    == FileManager.default.contents(atPath: fixture.sample + "/" + rpm.filename))
            let signed = try http.head(koji.signedRPMPath(build: build, rpm: rpm, sigkey: fixture.sigkey.uppercased()))
            let expectSigned = build.name != "kiln-tools" && build.name != "kiln-extra"
            #expect(signed.status == (expectSigned ? 200 : 404), "\(rpm.nvra)")
        }
        // The same layout on disk, with the top directory given as a path.
        let onDisk = KojiPathInfo(top: fixture.topdir)
        let lib = try #require(builds.first { $0.name == "kiln-lib" })
        let libRPM = try #require(rpms.first { $0.name == "kiln-lib" && $0.arch == "noarch" })
        #expect(
            onDisk.rpmPath(build: lib, rpm: libRPM) == fixture.topdir
                + "/packages/kiln-lib/1.1/1/noarch/kiln-lib-1.1-1.noarch.rpm")
        #expect(FileManager.default.fileExists(atPath: onDisk.rpmPath(build: lib, rpm: libRPM)))
        #expect(
            FileManager.default.fileExists(
                atPath: onDisk.signedRPMPath(build: lib, rpm: libRPM, sigkey: fixture.sigkey)))
    }
}
