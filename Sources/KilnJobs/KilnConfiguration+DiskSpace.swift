internal import KilnConfiguration
internal import KilnCore
internal import KilnStore

extension KilnConfiguration {
    /// Free space on the compose volume, narrowed by `target_dir_quota` (see `ExpiryStore.diskSpace`).
    @available(*, noasync, message: "libpq blocks")
    func diskSpace(on c: PGConnection) throws -> DiskSpace? {
        try ExpiryStore.diskSpace(c, targetDir: service.targetDir, quota: operations.targetDirQuota)
    }
}
