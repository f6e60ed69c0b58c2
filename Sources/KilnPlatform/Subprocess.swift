#if canImport(Glibc)
    internal import Glibc
#endif

/// Runs a program in its own process group with a time limit: what the generator runs for a `raw_config` compose
/// (git, Pungi), whose children must all go when the time is up.
public struct Subprocess: Sendable {
    public enum Outcome: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
        /// Still running when the limit came: its whole process group was terminated (SIGTERM, then SIGKILL).
        case timedOut
    }

    public var executable: String
    public var arguments: [String]
    /// The whole environment of the child (nothing is inherited).
    public var environment: [String: String]
    public var directory: String?
    /// Files standard output and standard error go to (appended to); nil: /dev/null.
    public var outputPath: String?
    public var errorPath: String?

    public init(
        executable: String, arguments: [String], environment: [String: String], directory: String? = nil,
        outputPath: String? = nil, errorPath: String? = nil
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.directory = directory
        self.outputPath = outputPath
        self.errorPath = errorPath
    }

    public struct SpawnError: Error, CustomStringConvertible {
        public var executable: String
        public var code: Int32
        public var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
    }

    /// Starts the program and waits for it, at most `timeLimit` seconds (then its process group is sent SIGTERM,
    /// and SIGKILL five seconds later).
    @available(*, noasync, message: "blocks until the program ends")
    public func run(timeLimit: Double) throws(SpawnError) -> Outcome {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(
            &actions, 1, outputPath ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(
            &actions, 2, errorPath ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group (the child's pid), so a time-out reaches everything it started.
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        // glibc's posix_spawn_file_actions_addchdir_np is not visible to Swift: coreutils' `env -C` changes
        // directory and then executes the program itself.
        let command = directory.map { ["/usr/bin/env", "-C", $0, "--", executable] } ?? [executable]
        let argv = (command + arguments).map { strdup($0) }
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") }
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let started = (argv + [nil]).withUnsafeBufferPointer { a in
            (envp + [nil]).withUnsafeBufferPointer { e in
                posix_spawn(&pid, command[0], &actions, &attributes, a.baseAddress!, e.baseAddress!)
            }
        }
        guard started == 0 else { throw SpawnError(executable: executable, code: started) }

        let deadline = Self.now() + max(0, timeLimit)
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { return .exited(-1) }
            if Self.now() >= deadline {
                kill(-pid, SIGTERM)
                var grace = 0.0
                while waitpid(pid, &status, WNOHANG) == 0 && grace < 5 {
                    usleep(100_000)
                    grace += 0.1
                }
                kill(-pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                return .timedOut
            }
            usleep(50_000)
        }
        // Whatever it left running in its group goes too.
        kill(-pid, SIGKILL)
        if status & 0x7f == 0 { return .exited((status >> 8) & 0xff) }
        return .signalled(status & 0x7f)
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
