internal import Foundation
internal import KilnCompose
internal import KilnCore
internal import KilnHTTP
internal import KilnPlatform
internal import KilnStore

extension GenerateJob {
    /// The words a user reads in `state_reason`: an error's own sentence when it has one (`UserFacingError`), the
    /// sentences Kiln's own failures are written as, else one from the kind of failure and the phase the generator
    /// was in (`FailureReason`). Never a dump of an error's internals; those go to the log with the compose id.
    static func reason(for error: any Error, phase: String? = nil) -> String {
        switch error {
        case let e as any UserFacingError: FailureReason.sentence(for: e, phase: phase)
        case let e as SolverError: e.message
        case let e as HTTPClientError: SourceFetchError(e).description
        case let e as XMLRPCFault: "Koji refused the request: \(e.message)"
        case is XMLRPCError: "Koji's answer could not be read; try again, and report it if it fails again."
        case let e as KojiPackageSet.Failure: e.description
        case let e as RemoteRepositoryError: e.description
        case let e as RepodataWriter.Failure: e.description
        case let e as JSONParser.Error: "The source's metadata is not valid JSON (\(e.description))."
        case let e as KilnStoreError where e.isConnectionFailure:
            "The database became unreachable while \(FailureReason.phrase(for: phase)); submit the compose again."
        case let e as ContainmentError:
            switch e.reason {
            case .system(let code):
                FailureReason.sentence(for: POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO), phase: phase)
            default:
                "The compose directory holds a symlink or file where the compose's files go; "
                    + "an administrator must remove it."
            }
        case let e as DiskUsage.RemoveError:
            FailureReason.sentence(for: POSIXError(POSIXErrorCode(rawValue: e.errno) ?? .EIO), phase: phase)
        default: FailureReason.sentence(for: error, phase: phase)
        }
    }
}
