import Foundation
import KilnTesting
import Testing

struct FixtureFailure: Error, CustomStringConvertible {
    var description: String
}

/// The repository root (this file is Tests/KilnHTTPTests/KojiStandIn.swift).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// Everything these tests write lives here; removed when the test process exits.
let scratchRoot = makeScratchRoot()

private func makeScratchRoot() -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
        "kiln-http-\(getpid())-\(UUID().uuidString)"
    ).path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: scratchRoot) }
    return path
}

/// A fresh empty directory under `scratchRoot`.
func makeScratchDirectory(_ name: String) throws -> String {
    let path = scratchRoot + "/" + name + "-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func findExecutable(_ name: String) -> String? { Tool.find(name) }

/// Runs a program to completion; throws with its output when it fails.
func runTool(_ executable: String, _ arguments: [String]) throws(FixtureFailure) {
    do {
        try Tool.run(executable, arguments)
    } catch {
        throw FixtureFailure(description: error.description)
    }
}

/// The sample RPMs laid out as a Koji top directory plus a state file (`Tests/Fixtures/make-koji-fixture`), built
/// once per test process.
struct KojiFixture: Sendable {
    /// `scripts/build-sample-repo` output.
    var sample: String
    /// Koji's top directory.
    var topdir: String
    var state: String
    var sigkey: String

    static let shared: Result<KojiFixture, FixtureFailure> = Result { () throws(FixtureFailure) in try build() }

    static func get() throws -> KojiFixture {
        try shared.get()
    }

    private static func build() throws(FixtureFailure) -> KojiFixture {
        guard let python = findExecutable("python3") else {
            throw FixtureFailure(
                description: "python3 is needed for Tests/Fixtures/make-koji-fixture and was not found on PATH")
        }
        for tool in ["rpmbuild", "createrepo_c", "rpm"] where findExecutable(tool) == nil {
            throw FixtureFailure(
                description: "\(tool) is needed to build the sample repository and was not found on PATH "
                    + "(apt-get install -y rpm createrepo-c)")
        }
        let sample = scratchRoot + "/sample"
        let koji = scratchRoot + "/koji"
        try runTool(repositoryRoot + "/scripts/build-sample-repo", [sample])
        do {
            try FileManager.default.createDirectory(atPath: koji, withIntermediateDirectories: true)
        } catch {
            throw FixtureFailure(description: "creating \(koji): \(error)")
        }
        try runTool(python, [repositoryRoot + "/Tests/Fixtures/make-koji-fixture", sample, koji])
        return KojiFixture(sample: sample, topdir: koji + "/topdir", state: koji + "/state.json", sigkey: "5a1d7e57")
    }
}

/// `Tests/Fixtures/koji-standin.py` running as a child process on a free 127.0.0.1 port; stopped on `stop()` or
/// deinit.
final class KojiStandIn {
    let port: Int
    private let process: Process

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var hubURL: String { baseURL + "/kojihub" }
    var topURL: String { baseURL + "/kojifiles" }

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    deinit { stop() }

    func stop() {
        guard process.isRunning else { return }
        // SIGKILL, not terminate(): a child spawned by Foundation on Linux can inherit a blocked SIGTERM, and then
        // waitUntilExit() would wait forever.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Starts the stand-in over `state` (and `topdir` at /kojifiles/) and waits until it listens.
    static func start(state: String, topdir: String? = nil) throws -> KojiStandIn {
        guard let python = findExecutable("python3") else {
            throw FixtureFailure(
                description: "python3 is needed to run Tests/Fixtures/koji-standin.py and was not found on PATH")
        }
        let directory = try makeScratchDirectory("standin")
        let portFile = directory + "/port"
        let logFile = directory + "/log"
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        var arguments = [
            repositoryRoot + "/Tests/Fixtures/koji-standin.py", "--state", state, "--port", "0", "--port-file",
            portFile,
        ]
        if let topdir { arguments += ["--topdir", topdir] }
        process.arguments = arguments
        let log = FileHandle(forWritingAtPath: logFile)
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8),
                let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return KojiStandIn(port: port, process: process)
            }
            if !process.isRunning { break }
            usleep(20_000)
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let output = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        throw FixtureFailure(description: "koji-standin.py did not start: \(output)")
    }

    /// A stand-in over a tiny hand-written state (no RPMs needed), serving `topdir` if given.
    static func startMinimal(topdir: String? = nil) throws -> KojiStandIn {
        let directory = try makeScratchDirectory("state")
        let state = directory + "/state.json"
        let json = """
            {"koji_version": "1.36.1", "events": [{"id": 7, "ts": 1714039200.123456}],
             "tags": [{"id": 1, "name": "dist", "arches": "x86_64 aarch64", "create_event": 7}], "builds": []}
            """
        try json.write(toFile: state, atomically: true, encoding: .utf8)
        return try start(state: state, topdir: topdir)
    }
}
