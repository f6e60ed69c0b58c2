import Foundation
import KilnCore
import Testing

@testable import KilnCompose
@testable import KilnHTTP
@testable import KilnJobs
@testable import KilnPlatform
@testable import KilnStore

/// Every error a generator can fail with is rendered by `FailureReason.sentence`, into the sentence a user reads in
/// `state_reason`; these are the sentences the end-to-end tests and ODCS clients see.
@Suite struct FailureReasonRenderingTests {
    static let cases: [(String, any Error, String?, String)] = [
        (
            "generation", GenerationError("Unknown Koji tag \"f40-build\""), "resolving",
            "Unknown Koji tag \"f40-build\""
        ),
        (
            "solver", SolverError(.missingPackages, "Missing packages: nope", details: ["nope"]), "resolving",
            "Missing packages: nope"
        ),
        (
            "HTTP status", HTTPClientError(.httpStatus, "answered 403", url: "https://repo.example/r/", status: 403),
            "downloading", "could not fetch https://repo.example/r/: HTTP 403"
        ),
        (
            "timeout", HTTPClientError(.transport, "timed out", url: "https://repo.example/r/", curlCode: 28),
            nil, "could not fetch https://repo.example/r/: timed out"
        ),
        (
            "redirect", HTTPClientError(.redirectRefused, "redirect", url: "https://a.example/x", status: 302), nil,
            "could not fetch https://a.example/x: HTTP 302 redirect to another origin is not followed"
        ),
        (
            "fetch", SourceFetchError(url: "https://a.example/y", problem: "host not found", detail: "curl 6"), nil,
            "could not fetch https://a.example/y: host not found"
        ),
        (
            "Koji fault", XMLRPCFault(code: 1000, message: "No such tag: f40"), "resolving",
            "Koji refused the request: No such tag: f40"
        ),
        (
            "Koji answer", XMLRPCError(.malformed, "bad XML", offset: 3), "resolving",
            "Koji's answer could not be read; try again, and report it if it fails again."
        ),
        (
            "JSON", FailureReasonRenderingTests.jsonError(), "resolving",
            "The source's metadata is not valid JSON (Expecting value at offset 0)."
        ),
        (
            "database gone", KilnStoreError(.connection, "server closed the connection"), "placing packages",
            "The database became unreachable while placing packages; submit the compose again."
        ),
        (
            "database gone, no phase", KilnStoreError(.query, "terminating", sqlState: "57P01"), nil,
            "The database became unreachable while generating the compose; submit the compose again."
        ),
        (
            "database refused", KilnStoreError(.query, "duplicate key", sqlState: "23505"), "createrepo",
            "An internal error stopped the generator while writing repodata; submit the compose again, "
                + "and report it if it fails again."
        ),
        (
            "symlink in the way", ContainmentError(path: "/srv/odcs/odcs-4", reason: .notADirectory("odcs-4")), nil,
            "The compose directory holds a symlink or file where the compose's files go; "
                + "an administrator must remove it."
        ),
        (
            "no space under containment", ContainmentError(path: "/srv/odcs/odcs-4", reason: .system(ENOSPC)),
            "metadata",
            "No space left on the compose volume while writing the compose metadata; try again once space is freed."
        ),
        (
            "removal denied", DiskUsage.RemoveError(path: "/srv/odcs/odcs-4/x", errno: EACCES), "placing packages",
            "The generator was denied access to a file on the compose volume while placing packages; "
                + "an administrator must fix the permissions."
        ),
        (
            "writer", ComposeWriterError(message: "createrepo_c failed: boom"), "createrepo",
            "Writing the repodata failed (createrepo_c reported an error); submit the compose again, and report it "
                + "if it fails again."
        ),
        (
            "no space", POSIXError(.ENOSPC), "placing packages",
            "No space left on the compose volume while placing packages; try again once space is freed."
        ),
    ]

    static func jsonError() -> any Error {
        do {
            _ = try JSONParser.parse("not json")
            return GenerationError("parsed")
        } catch {
            return error
        }
    }

    @Test(arguments: cases)
    func eachErrorRendersItsSentence(_ c: (String, any Error, String?, String)) {
        #expect(FailureReason.sentence(for: c.1, phase: c.2) == c.3, "\(c.0)")
    }

    @Test func everyJobErrorSaysItsOwnSentence() {
        for (name, error, _, _) in Self.cases where !(error is POSIXError) {
            #expect(error is any UserFacingError, "\(name)")
        }
    }
}
