public import Foundation

/// Runs the real tools test fixtures are built with (rpmbuild, createrepo_c, the fixture scripts).
public enum Tool {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// The first executable named `name` on PATH.
    public static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Runs `tool` (a path, or a name looked up on PATH) to completion; returns its output, or throws with it, naming
    /// the tool when it cannot be found.
    @discardableResult
    public static func run(_ tool: String, _ arguments: [String]) throws(Failure) -> String {
        guard let executable = tool.hasPrefix("/") ? tool : find(tool) else {
            throw Failure("\(tool) is needed for this test and was not found on PATH (make test installs it)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            throw Failure("cannot run \(tool): \(error)")
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                "\(tool) \(arguments.joined(separator: " ")) failed with status \(process.terminationStatus): \(text)")
        }
        return text
    }
}
