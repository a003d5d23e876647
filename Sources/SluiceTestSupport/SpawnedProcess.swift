import Foundation
import Synchronization

/// A real child process (`sluice`, a test worker, chromedriver) for tests and benchmarks, started with `posix_spawn`.
///
/// Foundation's `Process` on Linux learns of an exit through a socket that the child holds open; any process spawned
/// meanwhile by another thread may inherit that socket, and the exit then goes unnoticed for as long as the unrelated
/// process lives (seen in the full suite: a finished `sluice jobs enqueue` looked alive for a minute). Here the child
/// closes every descriptor above standard error before it starts, and its exit is read with `waitpid` on its own pid.
/// Waiting polls without ever blocking a thread, and works the same in a cancelled task.
public final class SpawnedProcess: Sendable {
    /// The child's process id.
    public let pid: pid_t
    private let ending = Mutex<Int32?>(nil)

    /// Where a standard stream of the child goes.
    public enum Destination: Sendable, Equatable {
        /// `/dev/null`.
        case discard
        /// The parent's own stream.
        case inherit
        /// Appended to the file at this path (created if missing).
        case file(String)
    }

    /// Starts `executable` with `arguments` and standard input from `/dev/null`.
    /// - Parameters:
    ///   - environment: the whole environment of the child (the parent's when nil).
    ///   - directory: the child's working directory (the parent's when nil).
    ///   - output: where standard output goes.
    ///   - errors: where standard error goes (the same file as `output` is written through one descriptor).
    ///   - newProcessGroup: puts the child in a process group of its own, so a signal to the parent's group (Ctrl-C
    ///     in a terminal) does not reach it.
    /// - Throws: ``TestPostgresError`` (a plain message) when the process cannot be started.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        output: Destination = .discard, errors: Destination = .discard, newProcessGroup: Bool = true
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        Self.redirect(1, to: output, in: &actions)
        if errors == output, case .file = errors {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            Self.redirect(2, to: errors, in: &actions)
        }
        try GNUSpawnActions.closeFrom(3, in: &actions)
        if let directory { try GNUSpawnActions.changeDirectory(to: directory, in: &actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        if newProcessGroup {
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let variables = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") }
        let envp = variables + [nil]
        defer { variables.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw TestPostgresError("cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
    }

    private static func redirect(
        _ descriptor: Int32, to destination: Destination, in actions: inout posix_spawn_file_actions_t
    ) {
        switch destination {
        case .discard: posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_WRONLY, 0)
        case .inherit: break
        case .file(let path):
            posix_spawn_file_actions_addopen(&actions, descriptor, path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        }
    }

    /// Whether the process has not exited yet (reaping it when it has).
    public var isRunning: Bool { status == nil }

    /// The exit status once the process has exited (for a process killed by a signal, the signal's number, as
    /// Foundation's `Process` reports it); nil while it runs.
    public var status: Int32? {
        ending.withLock { ending in
            if ending == nil {
                var raw: Int32 = 0
                var reaped = waitpid(pid, &raw, WNOHANG)
                while reaped == -1 && errno == EINTR { reaped = waitpid(pid, &raw, WNOHANG) }
                if reaped == pid {
                    ending = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : raw & 0x7f
                } else if reaped == -1 {
                    ending = -1  // Not our child any more (reaped elsewhere): it has exited, status unknown.
                }
            }
            return ending
        }
    }

    /// Sends `signal` (SIGTERM by default) to the process, unless it has exited.
    public func signal(_ signal: Int32 = SIGTERM) {
        // Under the lock that reaps: an unreaped child keeps its pid, so the signal cannot reach a recycled one.
        ending.withLock { ending in
            if ending == nil { _ = kill(pid, signal) }
        }
    }

    /// Waits for the process to exit by itself and returns its status; nil if it still runs after `timeout`.
    public func exitStatus(within timeout: Duration) async -> Int32? {
        // An unstructured task does not inherit cancellation, so its sleeps work in a cancelled test too.
        await Task { [self] in
            let deadline = ContinuousClock.now + timeout
            while true {
                if let status { return status }
                guard ContinuousClock.now < deadline else { return nil }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }.value
    }

    /// What a process run to its end printed.
    public struct Captured: Sendable {
        /// The exit status (for a signal, its number); nil when the process did not end in time and was killed.
        public let status: Int32?
        /// Its standard output.
        public let output: String
        /// Its standard error.
        public let errors: String
    }

    /// Runs `executable` to its end with a fresh temporary folder as its working directory (so nothing it writes
    /// lands elsewhere; removed afterwards), capturing standard output and error; kills it after `timeout`.
    /// - Throws: ``TestPostgresError`` when it cannot be started.
    public static func capture(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, timeout: Duration
    ) async throws -> Captured {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-run-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out")
        let errors = folder.appendingPathComponent("err")
        let process = try SpawnedProcess(
            executable, arguments, environment: environment, directory: folder.path, output: .file(output.path),
            errors: .file(errors.path))
        let status = await process.exitStatus(within: timeout)
        if status == nil { await process.stop(grace: .zero) }
        return Captured(
            status: status, output: (try? String(contentsOf: output, encoding: .utf8)) ?? "",
            errors: (try? String(contentsOf: errors, encoding: .utf8)) ?? "")
    }

    /// SIGTERM, then SIGKILL if it has not exited within `grace`; returns once it has exited with its status (nil
    /// only if even SIGKILL did not end it within 30 s).
    @discardableResult
    public func stop(grace: Duration = .seconds(10)) async -> Int32? {
        signal(SIGTERM)
        if let status = await exitStatus(within: grace) { return status }
        signal(SIGKILL)
        return await exitStatus(within: .seconds(30))
    }
}

/// The GNU extensions of `posix_spawn` file actions (glibc 2.34 and later), which the Glibc module does not import
/// because it is not compiled with `_GNU_SOURCE`; looked up once by name.
enum GNUSpawnActions {
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias ChangeDirectory =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    private static let closeFromFunction = symbol("posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: CloseFrom.self) }
    private static let changeDirectoryFunction = symbol("posix_spawn_file_actions_addchdir_np")
        .map { unsafeBitCast($0, to: ChangeDirectory.self) }

    /// Adds "close every descriptor from `lowest` up" to `actions`.
    static func closeFrom(_ lowest: Int32, in actions: inout posix_spawn_file_actions_t) throws {
        guard let function = closeFromFunction else {
            throw TestPostgresError("posix_spawn_file_actions_addclosefrom_np is missing (glibc 2.34 or later needed)")
        }
        let result = function(&actions, lowest)
        guard result == 0 else { throw TestPostgresError("closefrom action: \(String(cString: strerror(result)))") }
    }

    /// Adds "change the working directory to `path`" to `actions`.
    static func changeDirectory(to path: String, in actions: inout posix_spawn_file_actions_t) throws {
        guard let function = changeDirectoryFunction else {
            throw TestPostgresError("posix_spawn_file_actions_addchdir_np is missing (glibc 2.29 or later needed)")
        }
        let result = function(&actions, path)
        guard result == 0 else { throw TestPostgresError("chdir action: \(String(cString: strerror(result)))") }
    }

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name)
    }
}
