internal import Foundation

/// An error that knows the one sentence a user should read in a compose's `state_reason`: what went wrong and,
/// where it helps, what to do. It names no host, process, internal path or library; the details go to the log.
/// Every error a job throws for a compose conforms, so `FailureReason.sentence` renders them all.
public protocol UserFacingError: Error {
    var userMessage: String { get }
    /// The sentence when the generator was in `phase` (a progress phase such as `placing packages`); most errors
    /// say the same whatever the phase, and need not implement it.
    func userMessage(phase: String?) -> String
}

extension UserFacingError {
    public func userMessage(phase: String?) -> String { userMessage }
}

extension ComposeError: UserFacingError {
    public var userMessage: String { message }
}

/// The one place a thrown error becomes the sentence of a failed compose: an error's own `userMessage` when it has
/// one, else a sentence from what kind of failure it is (no space, no permission, a missing file, the database) and
/// the phase the generator was in. Anything else is an internal error, said as such; never a raw error dump.
public enum FailureReason {
    public static func sentence(for error: any Error, phase: String?) -> String {
        if let e = error as? any UserFacingError { return finished(e.userMessage(phase: phase)) }
        return sentence(forKindOf: error, phase: phase)
    }

    /// The sentence for a failure of this kind (no space, no permission, ...) in `phase`, or an internal error.
    public static func sentence(forKindOf error: any Error, phase: String?) -> String {
        let during = phrase(for: phase)
        if let code = systemCode(of: error) {
            switch code {
            case ENOSPC: return "No space left on the compose volume while \(during); try again once space is freed."
            case EDQUOT:
                return "The compose volume's quota is exhausted while \(during); try again once space is freed."
            case EACCES, EPERM:
                return "The generator was denied access to a file on the compose volume while \(during); "
                    + "an administrator must fix the permissions."
            case EROFS: return "The compose volume is read-only while \(during); an administrator must remount it."
            case ENOENT: return "A file the compose needs disappeared while \(during); submit the compose again."
            case EIO: return "The compose volume reported an I/O error while \(during); an administrator must check it."
            case EMFILE, ENFILE, ENOMEM:
                return "The generator ran out of system resources while \(during); submit the compose again."
            default: break
            }
        }
        return "An internal error stopped the generator while \(during); submit the compose again, "
            + "and report it if it fails again."
    }

    /// How a progress phase reads after "while": `placing packages`, `writing repodata`, ...
    public static func phrase(for phase: String?) -> String {
        switch phase {
        case nil, "", "queued": "generating the compose"
        case "createrepo": "writing repodata"
        case "metadata": "writing the compose metadata"
        case let p?: p
        }
    }

    /// The errno behind a Foundation or POSIX error, when there is one.
    static func systemCode(of error: any Error) -> Int32? {
        if let e = error as? POSIXError { return e.code.rawValue }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        guard ns.domain == NSCocoaErrorDomain else { return nil }
        switch ns.code {
        case NSFileWriteOutOfSpaceError: return ENOSPC
        case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: return EACCES
        case NSFileWriteVolumeReadOnlyError: return EROFS
        case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return ENOENT
        default: return nil
        }
    }

    /// Without the spaces, tabs and line ends a message may carry around it; any other character stays, even at
    /// the end (a package name may end in one, and the log escapes it rather than losing it).
    static func finished(_ text: String) -> String {
        let padding: Set<Character> = [" ", "\t", "\n", "\r", "\r\n"]
        var trimmed = Substring(text)
        while let first = trimmed.first, padding.contains(first) { trimmed = trimmed.dropFirst() }
        while let last = trimmed.last, padding.contains(last) { trimmed = trimmed.dropLast() }
        return trimmed.isEmpty ? "The compose failed for an unknown reason." : String(trimmed)
    }
}
