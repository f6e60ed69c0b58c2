import Foundation
import KilnHTTP
import Testing

/// A TCP port on 127.0.0.1 that nothing listens on (bound, read back, closed).
private func unusedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw FixtureFailure(description: "socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw FixtureFailure(description: "bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A served top directory with one file, and the stand-in serving it.
private func servedFiles() throws -> (KojiStandIn, String) {
    let top = try makeScratchDirectory("files")
    try FileManager.default.createDirectory(atPath: top + "/a/b", withIntermediateDirectories: true)
    let content = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    _ = FileManager.default.createFile(atPath: top + "/a/b/file.bin", contents: Data(content))
    return (try KojiStandIn.startMinimal(topdir: top), top)
}

private func echo(_ response: HTTPClientResponse) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
        throw FixtureFailure(description: "echo answer is not a JSON object")
    }
    return object
}

/// Header values the echo endpoint saw for `name` (any case).
private func headerValues(_ document: [String: Any], _ name: String) -> [String] {
    ((document["headers"] as? [[String]]) ?? []).filter { $0[0].lowercased() == name.lowercased() }.map { $0[1] }
}

@Suite struct HTTPClientTests {
    @Test func getReturnsStatusHeadersAndBody() throws {
        let server = try KojiStandIn.startMinimal()
        defer { server.stop() } // keeps the server alive (and then stops it) until the test ends
        let client = try HTTPClient()
        let ok = try client.get(server.baseURL + "/_standin/status/200")
        #expect(ok.status == 200)
        #expect(ok.bodyText == "status 200\n")
        #expect(ok.header("content-type") == "text/plain")
        #expect(ok.header("Content-Length") == "11")
        for status in [201, 204, 404, 500, 503] {
            let response = try client.get(server.baseURL + "/_standin/status/\(status)")
            #expect(response.status == status)
        }
        // The hub path answers GET with 405 and Allow: POST, like Koji.
        let hub = try client.get(server.hubURL)
        #expect(hub.status == 405)
        #expect(hub.header("Allow") == "POST")
    }

    @Test func sendsUserAgentAndHeaders() throws {
        let server = try KojiStandIn.startMinimal()
        defer { server.stop() } // keeps the server alive (and then stops it) until the test ends
        let client = try HTTPClient(configuration: .init(userAgent: HTTPClient.Configuration.userAgent(version: "9.9")))
        let document = try echo(client.get(server.baseURL + "/_standin/echo", headers: ["X-Kiln-Test": "yes"]))
        #expect(document["method"] as? String == "GET")
        #expect(headerValues(document, "User-Agent") == ["kiln/9.9"])
        #expect(headerValues(document, "X-Kiln-Test") == ["yes"])
    }

    @Test func postSendsBodyContentTypeAndNoExpect() throws {
        let server = try KojiStandIn.startMinimal()
        defer { server.stop() } // keeps the server alive (and then stops it) until the test ends
        let client = try HTTPClient()
        // Large enough that libcurl would otherwise add `Expect: 100-continue`.
        let body = String(repeating: "kiln ", count: 400_000)
        let response = try client.post(
            server.baseURL + "/_standin/echo", body: Array(body.utf8), contentType: "text/xml", headers: ["X-A": "1"])
        #expect(response.status == 200)
        let document = try echo(response)
        #expect(document["method"] as? String == "POST")
        #expect(document["body"] as? String == body)
        #expect(headerValues(document, "Content-Type") == ["text/xml"])
        #expect(headerValues(document, "Expect").isEmpty)
        #expect(headerValues(document, "X-A") == ["1"])
        #expect(headerValues(document, "User-Agent") == ["kiln/0.1.0"])

        let empty = try echo(client.post(server.baseURL + "/_standin/echo", body: [], contentType: "text/plain"))
        #expect(empty["body"] as? String == "")
    }

    @Test func followsRedirects() throws {
        let server = try KojiStandIn.startMinimal()
        defer { server.stop() } // keeps the server alive (and then stops it) until the test ends
        let client = try HTTPClient()
        let response = try client.get(server.baseURL + "/_standin/redirect?to=/_standin/status/201")
        #expect(response.status == 201)
        #expect(response.bodyText == "status 201\n")
        #expect(response.header("Location") == nil)

        let noFollow = try HTTPClient(configuration: .init(followRedirects: false))
        let redirect = try noFollow.get(server.baseURL + "/_standin/redirect?to=/_standin/status/201")
        #expect(redirect.status == 302)
        #expect(redirect.header("Location") == "/_standin/status/201")
    }

    @Test func redirectToAnotherOriginIsNotFollowed() throws {
        let server = try KojiStandIn.startMinimal()
        defer { server.stop() } // keeps the server alive (and then stops it) until the test ends
        let other = try KojiStandIn.startMinimal()
        defer { other.stop() }
        let client = try HTTPClient()
        // Same host, another port: another origin. Neither get nor download follows it; nothing is written.
        let elsewhere = server.baseURL + "/_standin/redirect?to=" + other.baseURL + "/_standin/status/200"
        do {
            _ = try client.get(elsewhere)
            Issue.record("a cross-origin redirect was followed")
        } catch {
            #expect(error.code == .redirectRefused)
            #expect(error.status == 302)
            #expect(error.url == elsewhere)
        }
        let directory = try makeScratchDirectory("cross-origin")
        #expect(throws: HTTPClientError.self) { try client.download(elsewhere, to: directory + "/x") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        // A redirect to a non-http scheme is refused as well.
        do {
            _ = try client.get(server.baseURL + "/_standin/redirect?to=file:///etc/passwd")
            Issue.record("a redirect to file:// was followed")
        } catch {
            #expect(error.code == .redirectRefused)
        }
        // Within the origin a redirect is followed; an absolute one too.
        let same = try client.get(server.baseURL + "/_standin/redirect?to=" + server.baseURL + "/_standin/status/204")
        #expect(same.status == 204)
        // Allowed explicitly, another origin is followed.
        let open = try HTTPClient(configuration: .init(crossOriginRedirects: true))
        #expect(try open.get(elsewhere).status == 200)
    }

    @Test func aRedirectIsFollowedOnlyWhereTheFilterAllows() throws {
        let server = try KojiStandIn.startMinimal()
        defer { server.stop() } // keeps the server alive (and then stops it) until the test ends
        // As a remote source's allow-list of one prefix: /_standin/status/ only.
        let client = try HTTPClient(configuration: .init(redirectAllowed: { $0.contains("/_standin/status/") }))
        let inside = try client.get(server.baseURL + "/_standin/redirect?to=/_standin/status/204")
        #expect(inside.status == 204)
        // Same origin, outside the prefix: refused, and the target is never asked.
        let outside = server.baseURL + "/_standin/redirect?to=/_standin/echo"
        do {
            _ = try client.get(outside)
            Issue.record("a redirect outside the allowed prefix was followed")
        } catch {
            #expect(error.code == .redirectNotAllowed)
            #expect(error.status == 302)
            #expect(error.url == outside)
            #expect(error.message.contains("not an allowed source"))
        }
    }

    @Test func bodiesOverTheLimitAreRefused() throws {
        let server = try KojiStandIn.startMinimal()
        defer { server.stop() } // keeps the server alive (and then stops it) until the test ends
        let client = try HTTPClient(configuration: .init(maxBodyBytes: 1000))
        #expect(try client.get(server.baseURL + "/_standin/bytes/1000").body.count == 1000)
        for query in ["", "?length=no"] {
            do {
                _ = try client.get(server.baseURL + "/_standin/bytes/5000" + query)
                Issue.record("a body over the limit was accepted (\(query))")
            } catch {
                #expect(error.code == .tooLarge)
            }
        }
        // The call's own limit is the smaller one; a download over it leaves no file.
        let directory = try makeScratchDirectory("too-large")
        for query in ["", "?length=no"] {
            do {
                try client.download(server.baseURL + "/_standin/bytes/600" + query, to: directory + "/x", maxBytes: 500)
                Issue.record("a download over its limit was kept (\(query))")
            } catch {
                #expect(error.code == .tooLarge)
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        try client.download(server.baseURL + "/_standin/bytes/500", to: directory + "/x", maxBytes: 500)
        #expect(FileManager.default.contents(atPath: directory + "/x")?.count == 500)
    }

    @Test func aStalledTransferIsAbortedBeforeTheTotalTimeout() throws {
        let server = try KojiStandIn.startMinimal()
        defer { server.stop() } // keeps the server alive (and then stops it) until the test ends
        let client = try HTTPClient(
            configuration: .init(totalTimeoutMilliseconds: 60_000, stallTimeoutMilliseconds: 1000))
        let start = Date()
        do {
            _ = try client.get(server.baseURL + "/_standin/stall/30")
            Issue.record("a stalled transfer did not fail")
        } catch {
            #expect(error.code == .transport)
            #expect(error.curlCode == 28) // CURLE_OPERATION_TIMEDOUT
        }
        // libcurl averages the speed over a few seconds, so the abort comes some seconds after the last byte.
        #expect(Date().timeIntervalSince(start) < 20)
    }

    @Test func reusesTheHandleAcrossManyRequests() throws {
        let server = try KojiStandIn.startMinimal()
        defer { server.stop() } // keeps the server alive (and then stops it) until the test ends
        let client = try HTTPClient()
        for i in 0..<50 {
            let status = i % 2 == 0 ? 200 : 404
            #expect(try client.get(server.baseURL + "/_standin/status/\(status)").status == status)
        }
    }

    @Test func downloadStreamsToFile() throws {
        let (server, top) = try servedFiles()
        defer { server.stop() } // keeps the server alive (and then stops it) until the test ends
        let client = try HTTPClient()
        let target = try makeScratchDirectory("download") + "/out.bin"
        let status = try client.download(server.topURL + "/a/b/file.bin", to: target)
        #expect(status == 200)
        #expect(
            FileManager.default.contents(atPath: target) == FileManager.default.contents(atPath: top + "/a/b/file.bin"))

        // Through a redirect as well.
        let redirected = target + ".2"
        try client.download(server.baseURL + "/_standin/redirect?to=/kojifiles/a/b/file.bin", to: redirected)
        #expect(
            FileManager.default.contents(atPath: redirected)
                == FileManager.default.contents(atPath: top + "/a/b/file.bin"))

        let head = try client.head(server.topURL + "/a/b/file.bin")
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "100000")
        #expect(head.body.isEmpty)
    }

    @Test func downloadOf404LeavesNoFile() throws {
        let (server, _) = try servedFiles()
        defer { server.stop() } // keeps the server alive (and then stops it) until the test ends
        let client = try HTTPClient()
        let directory = try makeScratchDirectory("download-404")
        let target = directory + "/missing.rpm"
        do {
            try client.download(server.topURL + "/a/b/missing.rpm", to: target)
            Issue.record("a 404 download did not throw")
        } catch {
            #expect(error.code == .httpStatus)
            #expect(error.status == 404)
            #expect(error.isHTTPStatus(404))
            #expect(error.description == "HTTPClientError(httpStatus: 404)")
        }
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)

        // An existing file is left alone by a failed download.
        _ = FileManager.default.createFile(atPath: target, contents: Data("old".utf8))
        #expect(throws: HTTPClientError.self) { try client.download(server.topURL + "/nope", to: target) }
        #expect(FileManager.default.contents(atPath: target) == Data("old".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["missing.rpm"])
    }

    @Test func downloadIntoMissingDirectoryIsAFileSystemError() throws {
        let (server, _) = try servedFiles()
        defer { server.stop() } // keeps the server alive (and then stops it) until the test ends
        let client = try HTTPClient()
        do {
            try client.download(server.topURL + "/a/b/file.bin", to: scratchRoot + "/no/such/dir/file")
            Issue.record("download into a missing directory did not throw")
        } catch {
            #expect(error.code == .fileSystem)
        }
    }

    @Test func connectionRefusedIsATransportError() throws {
        let port = try unusedPort()
        let client = try HTTPClient()
        do {
            _ = try client.get("http://127.0.0.1:\(port)/kojihub")
            Issue.record("a request to a closed port did not throw")
        } catch {
            #expect(error.code == .transport)
            #expect(error.curlCode == 7) // CURLE_COULDNT_CONNECT
            #expect(error.message.contains("Failed to connect to 127.0.0.1 port \(port)"), "\(error.message)")
            #expect(error.url == "http://127.0.0.1:\(port)/kojihub")
            #expect(error.description == "HTTPClientError(transport)")
            #expect(error.debugDescription.contains(error.message))
        }
        // A download to a closed port leaves nothing behind either.
        let directory = try makeScratchDirectory("refused")
        #expect(throws: HTTPClientError.self) {
            try client.download("http://127.0.0.1:\(port)/x", to: directory + "/x")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test func totalTimeoutIsATransportError() throws {
        let server = try KojiStandIn.startMinimal()
        defer { server.stop() } // keeps the server alive (and then stops it) until the test ends
        let client = try HTTPClient(configuration: .init(totalTimeoutMilliseconds: 300))
        do {
            _ = try client.get(server.baseURL + "/_standin/sleep/3")
            Issue.record("a slow answer did not time out")
        } catch {
            #expect(error.code == .transport)
            #expect(error.curlCode == 28) // CURLE_OPERATION_TIMEDOUT
            #expect(error.message.contains("timed out"), "\(error.message)")
        }
    }

    @Test func invalidRequestsAreRejectedBeforeSending() throws {
        let client = try HTTPClient()
        #expect(throws: HTTPClientError.self) { try client.get("http://127.0.0.1/\u{0}x") }
        do {
            _ = try client.get("http://127.0.0.1:1/", headers: ["X-Bad": "a\r\nInjected: 1"])
            Issue.record("a header with CRLF was accepted")
        } catch {
            #expect(error.code == .invalidRequest)
        }
        do {
            _ = try client.get("gopher://127.0.0.1/")
            Issue.record("a disallowed protocol was accepted")
        } catch {
            #expect(error.code == .transport)
        }
    }
}
