public import KilnCore
internal import KilnPlatform

extension ExpiryStore {
    /// Free space on the compose volume at `targetDir`, narrowed by `quota` (`target_dir_quota`) when one is set
    /// (the bytes composes hold come from the database); nil when the directory cannot be read. `bytesByState`,
    /// when the caller has it already, saves reading it again.
    @available(*, noasync, message: "libpq blocks")
    public static func diskSpace(
        _ c: PGConnection, targetDir: String, quota: Int64?, bytesByState: [ComposeState: Int64]? = nil
    ) throws(KilnStoreError) -> DiskSpace? {
        guard let v = DiskUsage.volume(at: targetDir) else { return nil }
        let volume = DiskSpace(freeBytes: v.freeBytes, totalBytes: v.totalBytes)
        guard let quota else { return volume }
        let used = if let bytesByState { bytesOnDisk(bytesByState) } else { try bytesOnDisk(c) }
        return volume.limited(quota: quota, usedByComposes: used)
    }
}
