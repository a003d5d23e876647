import Foundation
import Synchronization

/// A PostgreSQL cluster in a temporary directory, owned by this test process.
///
/// As root (CI), the server runs as the `postgres` user, because PostgreSQL refuses to run as root.
enum ThrowawayCluster {
    private static let password = "sluice-test"

    /// A started cluster: where to connect, and what restarting it takes.
    struct Started: Sendable {
        let endpoint: TestPostgresServer.Endpoint
        let binaries: String
        let dataDirectory: String
        let asRoot: Bool
    }

    /// Starts a cluster with the given durability (see ``TestPostgresServer/Durability``), on loopback or, with
    /// `network`, inside that namespace on its peer address.
    static func start(durability: TestPostgresServer.Durability, network: TestNetworkNamespace? = nil) throws -> Started
    {
        let binaries = try binaryDirectory()
        let dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent(
                "sluice-pg-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
            )
            .path
        let asRoot = getuid() == 0
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let passwordFile = dataDirectory + ".pw"
        try Data(password.utf8).write(to: URL(fileURLWithPath: passwordFile))
        defer { try? FileManager.default.removeItem(atPath: passwordFile) }
        if asRoot {
            try run("/bin/chown", ["postgres:postgres", dataDirectory, passwordFile])
            try run("/bin/chmod", ["700", dataDirectory])
        }
        try runAsServerUser(
            binaries + "/initdb",
            [
                "-D", dataDirectory, "-U", "postgres", "--pwfile=\(passwordFile)", "--auth-local=trust",
                "--auth-host=scram-sha-256", "--encoding=UTF8", "--no-locale",
            ], asRoot: asRoot)
        if let network {
            // initdb admits host connections from loopback only.
            let rule = "host all all \(network.hostAddress)/32 scram-sha-256\n"
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dataDirectory + "/pg_hba.conf"))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(rule.utf8))
            try handle.close()
        }
        let listenAddress = network?.peerAddress ?? "127.0.0.1"
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = try LoopbackPort.free()
            do {
                try runAsServerUser(
                    binaries + "/pg_ctl",
                    [
                        "-D", dataDirectory, "-l", dataDirectory + "/server.log", "-w", "-t", "60", "-o",
                        "-c listen_addresses=\(listenAddress) -p \(port) -k \(dataDirectory) -c max_connections=1500"
                            + durability.serverOptions,
                        "start",
                    ], asRoot: asRoot, network: network)
                ClusterShutdown.register(binaries: binaries, dataDirectory: dataDirectory, asRoot: asRoot)
                return Started(
                    endpoint: TestPostgresServer.Endpoint(
                        host: listenAddress, port: port, username: "postgres", password: password,
                        adminDatabase: "postgres"),
                    binaries: binaries, dataDirectory: dataDirectory, asRoot: asRoot)
            } catch {
                lastError = error
            }
        }
        throw TestPostgresError("PostgreSQL did not start: \(lastError.map { "\($0)" } ?? "unknown")")
    }

    private static func binaryDirectory() throws -> String {
        let candidates =
            (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?
            .sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
            .map { "/usr/lib/postgresql/\($0)/bin" } ?? []
        guard let directory = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") })
        else {
            throw TestPostgresError(
                "no PostgreSQL server binaries under /usr/lib/postgresql (install postgresql, or set SLUICE_TEST_POSTGRES_URL)"
            )
        }
        return directory
    }

    static func runAsServerUser(
        _ executable: String, _ arguments: [String], asRoot: Bool, network: TestNetworkNamespace? = nil
    ) throws {
        if let network {
            let (ip, prefix) = network.command(asRoot ? "/usr/sbin/runuser" : executable, [])
            try run(ip, prefix + (asRoot ? ["-u", "postgres", "--", executable] : []) + arguments)
            return
        }
        if asRoot {
            try run("/usr/sbin/runuser", ["-u", "postgres", "--", executable] + arguments)
        } else {
            try run(executable, arguments)
        }
    }

    /// Runs a command to completion and returns its output. Uses `posix_spawn` and `waitpid` directly:
    /// Foundation's `Process.waitUntilExit` was seen to miss the exit of `runuser` wrapping `pg_ctl start`.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sluice-cmd-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // The server outlives this call: it must not hold other descriptors of the test process (a child's exit
        // socket, a pipe's write end) open for the rest of the run.
        try GNUSpawnActions.closeFrom(3, in: &actions)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw TestPostgresError("cannot start \(executable): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exitCode == 0 else {
            throw TestPostgresError("\(executable) failed (\(exitCode)): \(text.suffix(2000))")
        }
        return text
    }
}

extension ThrowawayCluster.Started {
    /// Restarts the server with `pg_ctl restart -m MODE` (`immediate`: a crash, every session cut without a
    /// checkpoint; `fast`: sessions ended, then a clean stop), on the same port, and waits until it accepts
    /// connections again.
    func restart(mode: String) throws {
        try ThrowawayCluster.runAsServerUser(
            binaries + "/pg_ctl", ["-D", dataDirectory, "-m", mode, "-w", "-t", "60", "restart"], asRoot: asRoot)
    }
}

/// Stops the throwaway clusters when the test process exits.
enum ClusterShutdown {
    private static let commands = Mutex<[(binaries: String, dataDirectory: String, asRoot: Bool)]>([])

    static func register(binaries: String, dataDirectory: String, asRoot: Bool) {
        let first = commands.withLock { commands in
            commands.append((binaries, dataDirectory, asRoot))
            return commands.count == 1
        }
        guard first else { return }
        atexit {
            for command in ClusterShutdown.commands.withLock({ $0 }) {
                _ = try? ThrowawayCluster.runAsServerUser(
                    command.binaries + "/pg_ctl", ["-D", command.dataDirectory, "-m", "immediate", "-w", "stop"],
                    asRoot: command.asRoot)
                try? FileManager.default.removeItem(atPath: command.dataDirectory)
            }
        }
    }
}
