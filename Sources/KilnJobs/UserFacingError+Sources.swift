internal import Foundation
public import KilnCore
public import KilnHTTP
public import KilnPlatform
public import KilnStore

// The sentences a user reads in `state_reason` for the errors of the libraries a generator uses: Kiln's own failures
// say it in their own words; the kind of failure and the phase otherwise (`FailureReason`). Never a dump of an
// error's internals; those go to the log with the compose id.

extension XMLRPCFault: UserFacingError {
    public var userMessage: String { "Koji refused the request: \(message)" }
}

extension XMLRPCError: UserFacingError {
    public var userMessage: String { "Koji's answer could not be read; try again, and report it if it fails again." }
}

extension JSONParser.Error: UserFacingError {
    public var userMessage: String { "The source's metadata is not valid JSON (\(description))." }
}

extension KilnStoreError: UserFacingError {
    public var userMessage: String { userMessage(phase: nil) }
    public func userMessage(phase: String?) -> String {
        guard isConnectionFailure else { return FailureReason.sentence(forKindOf: self, phase: phase) }
        return "The database became unreachable while \(FailureReason.phrase(for: phase)); submit the compose again."
    }
}

extension ContainmentError: UserFacingError {
    public var userMessage: String { userMessage(phase: nil) }
    public func userMessage(phase: String?) -> String {
        guard case .system(let code) = reason else {
            return "The compose directory holds a symlink or file where the compose's files go; "
                + "an administrator must remove it."
        }
        return FailureReason.sentence(forKindOf: POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO), phase: phase)
    }
}

extension DiskUsage.RemoveError: UserFacingError {
    public var userMessage: String { userMessage(phase: nil) }
    public func userMessage(phase: String?) -> String {
        FailureReason.sentence(forKindOf: POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO), phase: phase)
    }
}
