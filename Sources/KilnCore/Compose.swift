/// One compose request as stored: every column ODCS's `composes` table has.
public struct Compose: Sendable, Equatable {
    public var id: Int64
    public var owner: String
    public var sourceType: SourceType
    public var source: String
    public var modularKojiTags: String?
    public var moduleDefaultsURL: String?
    public var kojiEvent: Int64?
    public var sigkeys: String?
    public var state: ComposeState
    public var stateReason: String?
    public var results: ComposeResults
    public var packages: String?
    public var builds: String?
    public var flags: ComposeFlags
    public var timeToExpire: Timestamp
    public var timeSubmitted: Timestamp
    public var timeStarted: Timestamp?
    public var timeDone: Timestamp?
    public var timeRemoved: Timestamp?
    public var removedBy: String?
    public var reusedID: Int64?
    public var kojiTaskID: Int64?
    public var arches: String?
    public var multilibArches: String?
    public var multilibMethod: MultilibMethod
    public var lookasideRepos: String?
    public var label: String?
    public var composeType: String?
    public var pungiComposeID: String?
    public var pungiConfigDump: String?
    public var targetDir: String?
    public var scratchModules: String?
    public var scratchBuildTasks: String?
    public var parentPungiComposeIDs: String?
    public var modules: String?
    public var respinOf: String?
    public var baseModuleBRName: String?
    public var baseModuleBRStream: String?
    public var baseModuleBRStreamVersionLTE: Int64?
    public var baseModuleBRStreamVersionGTE: Int64?
    /// What the generator is doing (detail view only).
    public var progress: Progress?
    /// Bytes its own files hold on the compose volume (not part of the ODCS JSON).
    public var sizeBytes: Int64?

    /// A generation phase and how far into it the generator is.
    public struct Progress: Sendable, Equatable {
        public var phase: String
        public var done: Int
        public var total: Int
        public init(phase: String, done: Int, total: Int) {
            self.phase = phase
            self.done = done
            self.total = total
        }
    }

    public init(
        id: Int64 = 0, owner: String, sourceType: SourceType, source: String, state: ComposeState = .wait,
        results: ComposeResults = .repository, flags: ComposeFlags = [], timeToExpire: Timestamp,
        timeSubmitted: Timestamp
    ) {
        self.id = id
        self.owner = owner
        self.sourceType = sourceType
        self.source = source
        self.state = state
        self.results = results
        self.flags = flags
        self.timeToExpire = timeToExpire
        self.timeSubmitted = timeSubmitted
        self.multilibMethod = []
    }

    /// `odcs-<reused_id>` when this compose reuses another one, else `odcs-<id>`.
    public var name: String { "odcs-\(reusedID ?? id)" }
}
