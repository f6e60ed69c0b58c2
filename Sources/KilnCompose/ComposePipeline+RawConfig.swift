internal import Foundation
internal import KilnCore
internal import KilnHTTP
internal import KilnPlatform

extension ComposePipeline {
    /// A `raw_config` compose, as ODCS makes one: the configuration named in `source` (`<name>#<commit>`) is
    /// fetched from its git repository at that commit, and the configured Pungi command builds the compose in
    /// Kiln's hidden work directory from it, within the configuration's time limit; Pungi's productmd tree becomes
    /// the compose (placed like any other, whole, once it is done). Pungi's standard error goes into the compose
    /// log as it runs (the ODCS client tails it), its standard output into `pungi-stdout.log`.
    @available(*, noasync, message: "blocks")
    func buildRawConfig(_ compose: Compose, host: any GenerationHost, log: GenerationLog) throws -> GenerationOutcome {
        guard let program = service.pungiCommand.first else {
            throw GenerationError("raw_config composes need pungi_command, which is not configured")
        }
        let parts = compose.source.split(separator: "#", maxSplits: 1).map(String.init)
        guard parts.count == 2, let config = service.rawConfigURLs[parts[0]],
            ComposeRequestSupport.isGitRevision(parts[1])
        else {
            throw GenerationError("The raw_config source \"\(compose.source)\" is not in this server's configuration")
        }
        let (name, revision) = (parts[0], parts[1])
        let targetDir = compose.targetDir ?? service.targetDir
        let composeName = "odcs-\(compose.id)"
        let checkout = ComposeWriter.workPath(targetDir: targetDir, name: composeName, purpose: "config")
        try? FileManager.default.removeItem(atPath: checkout)
        defer { try? FileManager.default.removeItem(atPath: checkout) }

        try host.setProgress(phase: "fetching the Pungi configuration", done: 0, total: 1)
        let commit = try fetchConfiguration(url: config.url, revision: revision, into: checkout, log: log)
        log.write("Configuration \(name) at \(commit)")
        let relative = (config.path.map { $0 + "/" } ?? "") + config.configFilename
        // The repository's content is not trusted: the file must be a regular file reached without symlinks.
        do {
            let fd = try PackageFile.openBeneath(
                root: checkout, relative: relative, fileName: config.configFilename)
            close(fd)
        } catch {
            throw GenerationError("The configuration \(name) has no regular file \(relative) at \(revision)")
        }
        let directory = checkout + "/" + ((relative as NSString).deletingLastPathComponent)

        // As ODCS passes it: the event given, or Koji's latest when Koji is configured.
        var event = compose.kojiEvent
        if event == nil, let hub = sources.kojiHubURL {
            event = try KojiClient(hubURL: hub, topURL: sources.kojiTopURL ?? "", client: makeClient(nil, nil, nil))
                .getLastEvent().id
        }
        let composeID = try allocateComposeID(compose, host: host)
        try host.recordStart(pungiComposeID: composeID.description, kojiEvent: event)

        let writer = ComposeWriter(targetDir: targetDir, name: composeName)
        let temporary = ComposeWriter.workPath(targetDir: targetDir, name: composeName)
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
            // Pungi takes the compose id from COMPOSE_ID in its compose directory: the id is Kiln's, unique.
            try Data((composeID.description + "\n").utf8).write(to: URL(fileURLWithPath: temporary + "/COMPOSE_ID"))
            let arguments = Self.pungiArguments(
                compose, configFile: checkout + "/" + relative, composeDirectory: temporary, event: event)
            let timeout = config.pungiTimeout ?? service.pungiTimeout
            try host.setProgress(phase: "running Pungi", done: 0, total: 1)
            log.write("Running \(([program] + service.pungiCommand.dropFirst() + arguments).joined(separator: " "))")
            let outcome = try Subprocess(
                executable: program, arguments: Array(service.pungiCommand.dropFirst()) + arguments,
                environment: Self.toolEnvironment(extra: ["ODCS_RAW_CONFIG_SOURCE_NAME": name]), directory: directory,
                outputPath: temporary + "/pungi-stdout.log", errorPath: log.path
            ).run(timeLimit: Double(timeout))
            switch outcome {
            case .exited(0):
                break
            case .timedOut:
                throw GenerationError(
                    "Compose has taken more time than allowed by configuration (\(timeout) seconds)")
            case .exited(let status):
                throw GenerationError(
                    "Pungi exited with status \(status)" + Self.pungiErrors(in: temporary) + "; see the compose log")
            case .signalled(let signal):
                throw GenerationError("Pungi was killed by signal \(signal); see the compose log")
            }
            try checkPungiTree(temporary, composeID: composeID.description)
            // As ODCS: production and development composes keep the configuration Pungi used.
            if ["production", "development"].contains(compose.composeType ?? "test") {
                guard let dump = Platform.readFile(temporary + "/logs/global/config-dump.global.log"),
                    dump.count <= 4 << 20
                else { throw GenerationError("Cannot load Pungi config dump.") }
                try host.recordConfigDump(String(decoding: dump, as: UTF8.self))
            }
            log.write("Pungi made compose \(composeID)")
            try? FileManager.default.removeItem(atPath: temporary + "/pungi-stderr.log")
            try? FileManager.default.copyItem(atPath: log.path, toPath: temporary + "/pungi-stderr.log")
            try writer.stage(temporary)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        return .generated(pungiID: composeID.description)
    }

    /// Pungi's arguments as ODCS passes them to pungi-koji.
    static func pungiArguments(_ compose: Compose, configFile: String, composeDirectory: String, event: Int64?)
        -> [String]
    {
        var arguments = [
            "--config=\(configFile)", "--no-latest-link", "--compose-dir=\(composeDirectory)",
            "--\(compose.composeType ?? "test")",
        ]
        if let label = compose.label, !label.isEmpty { arguments.append("--label=\(label)") }
        if compose.flags.contains(.noLabel) { arguments.append("--no-label") }
        for parent in (compose.parentPungiComposeIDs ?? "").split(separator: " ") {
            arguments.append("--parent-compose-id=\(parent)")
        }
        if let respin = compose.respinOf, !respin.isEmpty { arguments.append("--respin-of=\(respin)") }
        if let event { arguments += ["--koji-event", "\(event)"] }
        return arguments
    }

    /// The environment of the tools a raw_config compose runs: the generator's PATH, HOME, locale and Kerberos
    /// settings (Pungi logs in to Koji), nothing else of it.
    static func toolEnvironment(extra: [String: String]) -> [String: String] {
        let own = Platform.environment()
        var environment = ["PATH": own["PATH"] ?? "/usr/bin:/bin", "LANG": own["LANG"] ?? "C.UTF-8"]
        for key in ["HOME", "KRB5CCNAME", "KRB5_CONFIG", "KRB5_CLIENT_KTNAME", "TMPDIR"] {
            if let value = own[key] { environment[key] = value }
        }
        return environment.merging(extra) { _, new in new }
    }

    /// Up to 2,000 characters of the `[ERROR   ]` lines of Pungi's global log, as ODCS puts them in the reason.
    static func pungiErrors(in composeDirectory: String) -> String {
        guard let bytes = Platform.readFile(composeDirectory + "/logs/global/pungi.global.log") else { return "" }
        let lines = String(decoding: bytes.suffix(1 << 20), as: UTF8.self).split(separator: "\n")
        let errors = lines.filter { $0.contains("[ERROR   ]") && !$0.contains("Extended traceback in:") }
        guard !errors.isEmpty else { return "" }
        var text = errors.joined(separator: "\n")
        if text.count > 2000 { text = String(text.prefix(2000)) + " ...\n Too many errors, see Pungi log" }
        return ": " + text
    }

    /// The tree Pungi left must be a productmd compose with the id Kiln gave it, finished.
    func checkPungiTree(_ directory: String, composeID: String) throws {
        guard let status = Platform.readFile(directory + "/STATUS").map({ String(decoding: $0, as: UTF8.self) }),
            ["FINISHED", "FINISHED_INCOMPLETE"].contains(status.trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw GenerationError("Pungi ended without marking the compose FINISHED") }
        guard let bytes = Platform.readFile(directory + "/compose/metadata/composeinfo.json"),
            bytes.count <= 16 << 20, let info = try? ComposeInfo.parse(JSONParser.parse(bytes))
        else { throw GenerationError("Pungi left no readable compose/metadata/composeinfo.json") }
        guard info.id == composeID else {
            throw GenerationError("Pungi named the compose \(info.id), not \(composeID) as its COMPOSE_ID said")
        }
    }

    /// Clones the configuration repository and checks out `revision` (a commit, or a branch of the repository);
    /// returns the commit checked out.
    @available(*, noasync, message: "blocks")
    func fetchConfiguration(url: String, revision: String, into checkout: String, log: GenerationLog) throws
        -> String
    {
        switch try gitCheckout(url: url, revision: revision, into: checkout, log: log) {
        case .checkedOut(let commit):
            return commit
        case .cloneFailed:
            throw GenerationError("Cannot clone the Pungi configuration from \(url); see the compose log")
        case .checkoutFailed(let commit):
            throw GenerationError("Cannot check out \(commit) of \(url); see the compose log")
        case .noSuchRevision:
            throw GenerationError("The Pungi configuration repository \(url) has no commit or branch \"\(revision)\"")
        }
    }

    enum GitCheckout: Equatable {
        case checkedOut(String)
        case cloneFailed
        case noSuchRevision
        case checkoutFailed(String)
    }

    /// Clones `url` into `checkout` and checks out `revision` (a commit, or a branch), with git in its own process
    /// group within `git_timeout` (a slow or endless server fails the compose instead of holding the generator),
    /// no prompts, no system or user configuration, never the `ext` transport, plus `options` (`-c` settings).
    /// git's standard error goes to the compose log.
    @available(*, noasync, message: "blocks")
    func gitCheckout(url: String, revision: String, into checkout: String, options: [String] = [], log: GenerationLog)
        throws -> GitCheckout
    {
        let output = checkout + ".git-output"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let environment = Self.toolEnvironment(extra: [
            "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "/bin/true", "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": "/dev/null",
        ])
        func git(_ arguments: [String]) throws -> Bool {
            try? FileManager.default.removeItem(atPath: output)
            let outcome = try Subprocess(
                executable: "/usr/bin/git", arguments: ["-c", "protocol.ext.allow=never"] + options + arguments,
                environment: environment, outputPath: output, errorPath: log.path
            ).run(timeLimit: Double(service.gitTimeout))
            if outcome == .timedOut {
                throw GenerationError("git took longer than \(service.gitTimeout) seconds fetching \(url)")
            }
            return outcome == .exited(0)
        }
        guard try git(["clone", "--quiet", "--no-checkout", "--", url, checkout]) else { return .cloneFailed }
        for candidate in [revision, "origin/\(revision)"] {
            guard try git(["-C", checkout, "rev-parse", "--verify", "--quiet", "\(candidate)^{commit}"]),
                let commit = Platform.readFile(output).map({
                    String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                }), !commit.isEmpty
            else { continue }
            guard try git(["-C", checkout, "checkout", "--quiet", "--detach", commit]) else {
                return .checkoutFailed(commit)
            }
            return .checkedOut(commit)
        }
        return .noSuchRevision
    }
}
