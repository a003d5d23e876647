import AsyncHTTPClient
import Foundation
import SluiceCore
import SluiceFakes
import SluiceTestSupport
import Testing

/// Where `sluice` takes its settings from, and its errors for settings that cannot work.
@Suite("sluice CLI: settings and their errors")
struct CLISettingsTests {
    @Test(
        "a flag beats the environment, which beats the config file; bad config files are named",
        .timeLimit(.minutes(2)))
    func precedence() async throws {
        let folder = try SluiceCLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let paths = ["file", "env", "flag"].map { folder.appendingPathComponent("\($0).sqlite").path }
        let config = folder.appendingPathComponent("sluice.json")
        try Data(#"{"database": "\#(paths[0])", "port": 8090}"#.utf8).write(to: config)
        let fromFile = SluiceCLI(environment: ["SLUICE_CONFIG": config.path])
        #expect(try await fromFile("brands", "create", "In the file").status == 0)
        var fromEnvironment = fromFile
        fromEnvironment.environment["SLUICE_DATABASE_URL"] = "sqlite://" + paths[1]
        #expect(try await fromEnvironment("brands", "create", "In the environment").status == 0)
        #expect(try await fromEnvironment("brands", "create", "From the flag", "--database", paths[2]).status == 0)
        for (path, name) in zip(paths, ["In the file", "In the environment", "From the flag"]) {
            let brands = try await SluiceCLI(database: path)("brands", "list", "--json").items()
            #expect(brands.map { $0["name"] } == [.string(name)], "\(path)")
        }

        let unknownKey = folder.appendingPathComponent("typo.json")
        try Data(#"{"prot": 8080}"#.utf8).write(to: unknownKey)
        let typo = try await SluiceCLI()("brands", "list", "--config", unknownKey.path)
        #expect(typo.status == 64 && typo.err.contains(#"unknown setting "prot""#), "\(typo)")
        let notJSON = folder.appendingPathComponent("broken.json")
        try Data("port = 8080".utf8).write(to: notJSON)
        let broken = try await SluiceCLI()("brands", "list", "--config", notJSON.path)
        #expect(broken.status == 64 && broken.err.contains("is not a JSON object"), "\(broken)")
        let missing = try await SluiceCLI()("brands", "list", "--config", folder.appendingPathComponent("no").path)
        #expect(missing.status == 64 && missing.err.contains("cannot be read"), "\(missing)")
        let badPort = try await SluiceCLI(environment: ["SLUICE_PORT": "eighty"])(
            "serve", "--database", paths[0])
        #expect(badPort.status == 64 && badPort.err.contains("SLUICE_PORT must be a whole number"), "\(badPort)")
        let badLevel = try await SluiceCLI()("serve", "--database", paths[0], "--log-level", "loud")
        #expect(badLevel.status == 64 && badLevel.err.contains("--log-level must be one of"), "\(badLevel)")
    }

    @Test(
        "an unreachable PostgreSQL exits 69 within its deadline; a port in use exits 69; help lists every setting",
        .timeLimit(.minutes(2)))
    func unavailable() async throws {
        let folder = try SluiceCLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let closed = try LoopbackPort.free()
        let started = ContinuousClock.now
        let unreachable = try await SluiceCLI(database: "postgres://sluice:secret@127.0.0.1:\(closed)/sluice")(
            "jobs", "list")
        #expect(unreachable.status == 69, "\(unreachable)")
        #expect(unreachable.err.contains("PostgreSQL at 127.0.0.1:\(closed) is unreachable"), "\(unreachable)")
        #expect(!unreachable.err.contains("secret"))
        #expect(ContinuousClock.now - started < .seconds(60))

        try await FakeMetaServer().serve { base in
            let taken = try #require(URL(string: base)?.port)
            let serve = try await SluiceCLI(database: folder.appendingPathComponent("port.sqlite").path)(
                "serve", "--port", String(taken), "--asset-dir", folder.appendingPathComponent("assets").path)
            #expect(serve.status == 69 && serve.err.contains("the address is in use"), "\(serve)")
        }

        let help = try await SluiceCLI()("serve", "--help")
        for setting in [
            "SLUICE_DATABASE_URL", "SLUICE_BIND", "SLUICE_PORT", "SLUICE_CONCURRENCY", "SLUICE_META_BASE_URL",
            "SLUICE_META_SNAPSHOT_BASE_URL", "SLUICE_META_ACCESS_TOKEN", "SLUICE_ASSET_DIR", "SLUICE_LOG_FORMAT",
            "SLUICE_LOG_LEVEL", "SLUICE_CONFIG",
        ] {
            #expect(help.out.contains(setting), "\(setting) missing from serve --help")
        }
        #expect(help.out.contains("port (SLUICE_PORT): 8080"))

        let noUser = try await SluiceCLI(database: "postgres://127.0.0.1:5432/sluice")("migrate")
        #expect(noUser.status == 64 && noUser.err.contains("must look like postgres://"), "\(noUser)")
        let typo = try await SluiceCLI(database: "postgres:sluice:secret@db/sluice")("migrate")
        #expect(typo.status == 64 && typo.err.contains("is not a file path"), "\(typo)")
        #expect(!typo.err.contains("secret"))
        let endpoint = try await TestPostgresServer.shared.endpoint()
        let password = endpoint.password.map { ":\($0)" } ?? ""
        let missing = try await SluiceCLI(
            database: "postgres://\(endpoint.username)\(password)@\(endpoint.host):\(endpoint.port)/sluice_no_such_db")(
                "migrate")
        #expect(missing.status == 69 && missing.err.contains("does not exist"), "\(missing)")
        let badQueue = try await SluiceCLI(database: folder.appendingPathComponent("queue.sqlite").path)(
            "worker", "--queue", "videos")
        #expect(badQueue.status == 64 && badQueue.err.contains("no job type uses the queue videos"), "\(badQueue)")
    }

    @Test(
        "serve --no-worker: the port from the config file, a warning without a Meta token, no direct mode",
        .timeLimit(.minutes(2)))
    func apiOnlyNode() async throws {
        let folder = try SluiceCLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("api.sqlite").path
        let port = try LoopbackPort.free()
        let config = folder.appendingPathComponent("sluice.json")
        try Data(#"{"port": \#(port), "asset_dir": "\#(folder.appendingPathComponent("assets").path)"}"#.utf8)
            .write(to: config)
        let sluice = SluiceCLI(database: database)
        #expect(try await sluice("brands", "create", "Acme Coffee").status == 0)
        let rival = try await sluice(
            "competitors", "add", "--brand", "Acme Coffee", "--name", "Rival Coffee", "--ad-library-url",
            CLIRunTests.rivalURL, "--json"
        ).object()
        let serve = try ChildProcess(
            try SiblingExecutable.url(named: "sluice"),
            ["serve", "--no-worker", "--database", database, "--config", config.path], name: "serve", folder: folder,
            environment: SluiceCLI.environment(adding: [:]))
        do {
            let token = try await serve.wait(for: #"(sluice_[A-Za-z0-9_-]+)"#)
            _ = try await serve.wait(for: #"serving on http://127\.0\.0\.1:(\#(port))"#)
            #expect(serve.printed.contains("No Meta access token"))
            #expect(!serve.printed.contains("Starting the worker"))
            let brands = try await sluice("brands", "--json").items()
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/jobs")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            let body: JSONObject = [
                "brand_id": brands.first?["id"] ?? .null, "job_type": "competitor_scrape", "mode": "direct",
                "parameters": ["competitor_id": rival["id"] ?? .null, "ad_library_url": .string(CLIRunTests.rivalURL)],
            ]
            request.body = .bytes(.init(string: JSONValue.object(body).jsonText))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            #expect(response.status == .conflict)
        } catch {
            Issue.record("sluice serve printed:\n\(serve.printed.suffix(4000))")
            await serve.stop()
            throw error
        }
        #expect(await serve.stop() == 0)
    }
}
