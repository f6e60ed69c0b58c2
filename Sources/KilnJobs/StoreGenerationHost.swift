internal import KilnCompose
internal import KilnConfiguration
internal import KilnCore
internal import KilnStore

/// The generator's side of `ComposePipeline`: progress, reuse and the compose's productmd id, recorded for one
/// compose on the generator's connection.
struct StoreGenerationHost: GenerationHost {
    let job: GenerateJob
    let connection: PGConnection
    let composeID: Int64

    var generations: GenerationStore { job.store(connection) }

    func setProgress(phase: String, done: Int, total: Int) throws {
        try generations.setProgress(id: composeID, phase: phase, done: done, total: total)
    }

    func reuseCandidates(for compose: Compose) throws -> [Compose] {
        try generations.reuseCandidates(for: compose)
    }

    func reuse(_ candidate: Compose) throws -> Bool {
        try connection.withTransaction { t in try job.store(t).reuse(id: composeID, of: candidate) }
    }

    func nextRespin(short: String, version: String, date: String, atLeast: Int) throws -> Int {
        try TrackingStore(connection)
            .nextRespin(short: short, version: version, date: date, atLeast: atLeast)
    }

    func isPungiComposeIDTaken(_ pungiID: String) throws -> Bool {
        try generations.isPungiComposeIDTaken(pungiID)
    }

    func recordStart(pungiComposeID: String, kojiEvent: Int64?) throws {
        try generations.record(id: composeID, pungiComposeID: pungiComposeID, kojiEvent: kojiEvent)
        try generations.markGenerating(id: composeID)
    }

    func recordResolvedBuilds(builds: String, packages: String, arches: String, sigkeys: String) throws {
        try generations.recordResolvedBuilds(
            id: composeID, builds: builds, packages: packages, arches: arches, sigkeys: sigkeys)
    }

    func recordResolvedSource(source: String?, arches: String, sigkeys: String) throws {
        try generations.recordResolvedSource(id: composeID, source: source, arches: arches, sigkeys: sigkeys)
    }

    func recordConfigDump(_ dump: String) throws {
        try generations.recordConfigDump(id: composeID, dump: dump)
    }
}
