import Foundation
import Testing

@testable import KilnCore

/// A failed compose's `state_reason` is one sentence a user can act on; never an error dump with paths, hosts or pids.
@Suite struct FailureReasonTests {
    @Test func noSpaceFromFoundationIsASentenceWithThePhase() {
        let error = NSError(
            domain: NSCocoaErrorDomain, code: NSFileWriteOutOfSpaceError,
            userInfo: [
                NSFilePathErrorKey: "/srv/kiln/composes/.tmp-odcs-7-host.example.com-4242/compose/Temporary/x86_64/os"
            ])
        let sentence = FailureReason.sentence(for: error, phase: "placing packages")
        #expect(
            sentence
                == "No space left on the compose volume while placing packages; try again once space is freed.")
    }

    @Test(
        arguments: [
            (
                ENOSPC, "createrepo",
                "No space left on the compose volume while writing repodata; try again once space is freed."
            ),
            (
                EDQUOT, "metadata",
                "The compose volume's quota is exhausted while writing the compose metadata; try "
                    + "again once space is freed."
            ),
            (
                EROFS, nil,
                "The compose volume is read-only while generating the compose; an administrator must remount it."
            ),
            (
                ENOENT, "placing packages",
                "A file the compose needs disappeared while placing packages; submit the compose again."
            ),
        ] as [(Int32, String?, String)])
    func posixErrorsBecomeSentences(code: Int32, phase: String?, expected: String) {
        let error = POSIXError(POSIXErrorCode(rawValue: code)!)
        #expect(FailureReason.sentence(for: error, phase: phase) == expected)
        let wrapped = NSError(
            domain: NSCocoaErrorDomain, code: 512,
            userInfo: [
                NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(code))
            ])
        #expect(FailureReason.sentence(for: wrapped, phase: phase) == expected)
    }

    @Test func cocoaFileErrorsMapToTheirKind() {
        let missing = NSError(
            domain: NSCocoaErrorDomain, code: NSFileReadNoSuchFileError, userInfo: [NSFilePathErrorKey: "/srv/x"])
        #expect(
            FailureReason.sentence(for: missing, phase: "placing packages")
                == "A file the compose needs disappeared while placing packages; submit the compose again.")
        let denied = NSError(domain: NSCocoaErrorDomain, code: NSFileWriteNoPermissionError)
        #expect(
            FailureReason.sentence(for: denied, phase: "metadata").hasPrefix(
                "The generator was denied access to a file on the compose volume while writing the compose metadata"))
    }

    struct OwnSentence: UserFacingError {
        var userMessage: String { "  The Koji hub answered HTTP 503 three times; try again later.\n" }
    }

    struct Opaque: Error, CustomStringConvertible {
        var description: String { "Opaque(host: build01.example.com, pid: 4242, path: /srv/kiln/composes)" }
    }

    @Test func anErrorTypeSuppliesItsOwnSentence() {
        #expect(
            FailureReason.sentence(for: OwnSentence(), phase: "placing packages")
                == "The Koji hub answered HTTP 503 three times; try again later.")
        let invalid = ComposeError.invalid("The label \"x\" is not in productmd's format")
        #expect(FailureReason.sentence(for: invalid, phase: nil) == "The label \"x\" is not in productmd's format")
    }

    struct NamedPackage: UserFacingError {
        var userMessage: String { "\tMissing packages: nosuch\u{2028}\r\n" }
    }

    @Test func onlyThePaddingAroundASentenceIsTrimmed() {
        // A line separator ending a package name is part of the sentence: the log escapes it, nothing drops it.
        #expect(FailureReason.sentence(for: NamedPackage(), phase: nil) == "Missing packages: nosuch\u{2028}")
    }

    @Test func anythingElseIsAnInternalErrorWithoutItsDetails() {
        let sentence = FailureReason.sentence(for: Opaque(), phase: "resolving dependencies")
        #expect(
            sentence == "An internal error stopped the generator while resolving dependencies; "
                + "submit the compose again, and report it if it fails again.")
        for leak in ["build01", "4242", "/srv"] { #expect(!sentence.contains(leak)) }
    }
}

@Suite struct LogTextTests {
    @Test(arguments: [
        ("kiln-doc", "kiln-doc"),
        ("a\nb", "a\\nb"),
        ("a\r\nb\tc", "a\\r\\nb\\tc"),
        ("\u{1b}[2Jx", "\\u{1b}[2Jx"),
        ("x\u{2028}y\u{85}z\u{7f}", "x\\u{2028}y\\u{85}z\\u{7f}"),
        ("naïve \\n", "naïve \\n"),
    ])
    func controlCharactersAreEscaped(input: String, expected: String) {
        #expect(LogText.escaped(input) == expected)
        #expect(!LogText.escaped(input).contains("\n"))
    }
}

@Suite struct ComposeLinksTests {
    @Test func linksOfAProductmdTypeAndLabel() throws {
        let links = try ComposeLinks(
            composeID: 7, composeType: "production", pungiComposeID: "odcs-7-1-20260601.0",
            label: "RC-1.0")
        #expect(links.directory == "production")
        #expect(links.names == ["odcs-7-1-20260601.0", "latest-odcs-7", "latest-odcs-7-RC-1.0"])
        #expect(links.target == "../odcs-7")
        let plain = try ComposeLinks(composeID: 8, composeType: nil, pungiComposeID: "odcs-8-1-20260601.t.0", label: "")
        #expect(plain.names == ["odcs-8-1-20260601.t.0", "latest-odcs-8"])
    }

    @Test(
        arguments: [
            ("../../etc", nil, "odcs-7-1-20260601.t.0"),
            ("test/../..", nil, "odcs-7-1-20260601.t.0"),
            ("odcs-7", nil, "odcs-7-1-20260601.t.0"),
            ("", nil, "odcs-7-1-20260601.t.0"),
            ("test", "../../x", "odcs-7-1-20260601.t.0"),
            ("test", "RC-1.0/../../x", "odcs-7-1-20260601.t.0"),
            ("test", "Alpha-1", "odcs-7-1-20260601.t.0"),
            ("test", nil, "../odcs-7"),
            ("test", nil, ".."),
            ("test", nil, "odcs-7\n"),
        ] as [(String?, String?, String)])
    func pathPartsThatAreNotProductmdsAreRefused(type: String?, label: String?, pungiID: String) {
        #expect(throws: ComposeError.self) {
            try ComposeLinks(composeID: 7, composeType: type, pungiComposeID: pungiID, label: label)
        }
    }
}
