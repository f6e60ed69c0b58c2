import Foundation
import Testing

@testable import KilnPlatform

@Suite struct SubprocessTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "kiln-subprocess-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func shell(_ script: String, limit: Double = 30) throws -> Subprocess.Outcome {
        try Subprocess(
            executable: "/bin/sh", arguments: ["-c", script], environment: ["PATH": "/usr/bin:/bin", "K": "v"],
            directory: directory, outputPath: directory + "/out", errorPath: directory + "/err"
        ).run(timeLimit: limit)
    }

    func text(_ name: String) -> String {
        (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? ""
    }

    @Test func exitStatusOutputDirectoryAndEnvironment() throws {
        #expect(try shell("pwd; echo $K; echo oops >&2; exit 3") == .exited(3))
        #expect(text("out") == "\(directory)\nv\n")
        #expect(text("err") == "oops\n")
        // Appended, never truncated: a second run adds to the same files.
        #expect(try shell("echo again") == .exited(0))
        #expect(text("out").hasSuffix("v\nagain\n"))
    }

    @Test func aProgramPastItsTimeLimitIsStoppedWithEverythingItStarted() throws {
        let started = Date()
        let outcome = try shell("sleep 60 & echo $! > child; wait", limit: 0.5)
        #expect(outcome == .timedOut)
        #expect(Date().timeIntervalSince(started) < 10)
        let child = try #require(Int32(text("child").trimmingCharacters(in: .whitespacesAndNewlines)))
        usleep(200_000)
        // Gone, or a zombie waiting for its new parent to reap it: either way no longer running.
        let state = (try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8))?
            .split(separator: ")").last?.split(separator: " ").first
        #expect(state == nil || state == "Z", "\(state ?? "")")
    }

    @Test func aMissingProgramIsASpawnError() {
        #expect(throws: Subprocess.SpawnError.self) {
            try Subprocess(executable: "/nonexistent/tool", arguments: [], environment: [:]).run(timeLimit: 1)
        }
    }
}
