internal import Foundation
internal import KilnCore
internal import KilnHTTP

extension KojiPackageSet {
    /// The RPMs of Koji scratch builds (`scratch_build_tasks`), as Pungi's `pkgset_koji_scratch_tasks` takes them:
    /// for each task, a finished (CLOSED) `build` task's `buildArch` children (or the task itself when it is a
    /// `buildArch`), and each child's `getTaskResult` RPMs and source RPMs from Koji's `work` directory. Scratch
    /// builds are never signed and were asked for by task id, so the compose's signing keys do not apply to them;
    /// each file's own digests are checked (`rpmkeys --checksig --nosignature`), as Koji lists no checksum for them.
    /// A file with the name of an RPM of the tag or the builds replaces it. Returns the file names placed.
    @available(*, noasync, message: "blocks")
    func placeScratchBuilds(_ taskIDs: [Int64], into directory: String, local: Bool) throws -> [String] {
        var placed: [String] = []
        for id in taskIDs {
            guard let task = try koji.getTaskInfo(id) else { throw GenerationError("Koji has no task \(id)") }
            guard task.method == "build" || task.method == "buildArch" else {
                throw GenerationError("Koji task \(id) is a \(task.method) task, not a build")
            }
            let children =
                task.method == "buildArch" ? [task] : try koji.getTaskChildren(id).filter { $0.method == "buildArch" }
            for finished in [task] + children where finished.state != KojiTask.State.closed.rawValue {
                throw GenerationError(
                    "Koji task \(finished.id) is \(finished.stateName), not a finished (CLOSED) build")
            }
            guard !children.isEmpty else { throw GenerationError("Koji task \(id) has no buildArch tasks") }
            var files: [String] = []
            for child in children {
                let result = try koji.getTaskResult(child.id)
                files += result.rpms + result.srpms
            }
            guard !files.isEmpty else { throw GenerationError("Koji task \(id) built no RPMs") }
            for relative in files {
                let name = (relative as NSString).lastPathComponent
                let destination = directory + "/" + name
                try? FileManager.default.removeItem(atPath: destination)
                guard fetch(koji.workPath(relative), to: destination, local: local) else {
                    throw GenerationError("Koji task \(id)'s \(name) is not in Koji's work directory")
                }
                do {
                    try ComposeWriter.run("/usr/bin/rpmkeys", ["--checksig", "--nosignature", destination])
                } catch {
                    throw GenerationError("Koji task \(id)'s \(name) is damaged: its digests do not match")
                }
                placed.append(name)
            }
            log.write("Koji scratch build task \(id): \(files.count) RPMs")
        }
        return placed
    }
}
