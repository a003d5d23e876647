import Foundation
import SluiceAdIntel
import SluiceCore
import SluiceStore
import SluiceTestSupport
import Testing

/// `sluice jobs`, `runs`, `logs` and `datasets` on both backends, run as the real binary (no worker runs, so what
/// is queued stays queued).
@Suite("sluice CLI: jobs, runs, logs and datasets")
struct CLIJobTests {
    @Test(
        "enqueue, list, show, pause, resume, run now, cancel and delete jobs; list, show, cancel and retry runs",
        .timeLimit(.minutes(3)), arguments: TestBackend.allCases)
    func jobsAndRuns(_ backend: TestBackend) async throws {
        let configuration = StoreConfiguration(registry: try AdIntelCatalog.registry())
        try await backend.withDatabase(configuration: configuration) { database in
            let sluice = SluiceCLI(database: database.location)
            #expect(try await sluice("brands", "create", "Acme Coffee").status == 0)
            let queued = try await sluice(
                "jobs", "enqueue", "meta_sync", "--brand", "Acme Coffee", "--param", "ad_account_id=act_42",
                "--param", "days=7", "--json"
            ).object()
            let job = try #require(queued["job"]?.objectValue)
            let jobID = try #require(job["id"]?.intValue)
            let runID = try #require(queued["run_id"]?.intValue)
            #expect(job["parameters"] == ["ad_account_id": "act_42", "days": 7])
            let later = try await sluice(
                "jobs", "enqueue", "meta_sync", "--brand", "Acme Coffee", "--param", "ad_account_id=act_43",
                "--at", "2099-01-01T06:00:00Z")
            #expect(later.status == 0 && later.out.contains("once at 2099-01-01T06:00:00Z"), "\(later)")
            let recurring = try await sluice(
                "jobs", "enqueue", "meta_sync", "--brand", "Acme Coffee", "--param", "ad_account_id=act_44",
                "--cron", "0 6 * * *", "--time-zone", "Europe/Berlin")
            #expect(recurring.out.contains(#"cron "0 6 * * *" Europe/Berlin"#), "\(recurring)")

            let all = try await sluice("jobs", "list", "--json").items()
            #expect(all.count == 3)
            let onlyRecurring = try await sluice("jobs", "list", "--recurring", "--json").items()
            #expect(onlyRecurring.map { $0["parameters"]?.objectValue?["ad_account_id"] } == ["act_44"])
            let table = try await sluice("jobs", "list", "--limit", "2")
            #expect(table.out.hasPrefix("ID  BRAND        TYPE"), "\(table)")
            #expect(table.out.contains("More: add --cursor "), "\(table)")
            let shown = try await sluice("jobs", "show", String(jobID))
            #expect(shown.out.contains("ad_account_id=act_42, days=7") && shown.out.contains("Latest runs:"))

            let paused = try await sluice("jobs", "pause", String(jobID))
            #expect(paused.status == 0 && paused.out.contains("status is now paused"), "\(paused)")
            let pausedOnly = try await sluice("jobs", "list", "--status", "paused", "--json").items()
            #expect(pausedOnly.map { $0["id"] } == [.int(jobID)])
            #expect(try await sluice("jobs", "resume", String(jobID)).out.contains("status is now active"))
            let runs = try await sluice("runs", "list", "--job", String(jobID), "--state", "queued", "--json").items()
            #expect(runs.map { $0["id"] } == [.int(runID)])
            let runTable = try await sluice("runs", "show", String(runID))
            #expect(runTable.out.contains("queued, attempt 0 of"), "\(runTable)")

            let cancelled = try await sluice("runs", "cancel", String(runID))
            #expect(cancelled.status == 0 && cancelled.out.contains("Cancelled run \(runID)"), "\(cancelled)")
            let retried = try await sluice("runs", "retry", String(runID))
            #expect(retried.status == 0 && retried.out.contains("it is now queued"), "\(retried)")
            let again = try await sluice("runs", "retry", String(runID))
            #expect(again.status == 1, "a queued run cannot be retried: \(again)")
            let logs = try await sluice("logs", String(runID))
            #expect(logs.status == 0, "\(logs)")

            let recurringID = try #require(onlyRecurring.first?["id"]?.intValue)
            let ranNow = try await sluice("jobs", "run-now", String(recurringID))
            #expect(ranNow.status == 0 && ranNow.out.contains("of job \(recurringID)"), "\(ranNow)")
            #expect(try await sluice("jobs", "cancel", String(recurringID)).out.contains("status is now cancelled"))
            let unconfirmed = try await sluice("jobs", "delete", String(jobID))
            #expect(unconfirmed.status == 64 && unconfirmed.err.contains("--yes"))
            #expect(try await sluice("jobs", "delete", String(jobID), "--yes").status == 0)
            let gone = try await sluice("jobs", "show", String(jobID))
            #expect(gone.status == 1 && gone.err.contains("job \(jobID) does not exist"), "\(gone)")
        }
    }

    @Test(
        "bad job input exits 64 with the problem: unknown job type, bad parameters, schedule; datasets list",
        .timeLimit(.minutes(2)))
    func badInputAndDatasets() async throws {
        let folder = try SluiceCLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sluice = SluiceCLI(database: folder.appendingPathComponent("jobs.sqlite").path)
        #expect(try await sluice("brands", "create", "Acme Coffee").status == 0)
        let enqueue = ["jobs", "enqueue"]
        let unknownType = try await sluice.run(enqueue + ["nope", "--brand", "Acme Coffee"])
        #expect(unknownType.status == 64 && unknownType.err.contains("job type nope is not registered"))
        let notNumber = try await sluice.run(
            enqueue + ["competitor_scrape", "--brand", "Acme Coffee", "--param", "max_ads=lots"])
        #expect(notNumber.status == 64 && notNumber.err.contains("--param max_ads: must be a whole number"))
        let problems = try await sluice.run(
            enqueue + ["competitor_scrape", "--brand", "Acme Coffee", "--param", "max_ads=0", "--param", "color=red"])
        #expect(problems.status == 64, "\(problems)")
        #expect(problems.err.contains("parameters.max_ads: value must be at least 1"))
        #expect(problems.err.contains("parameters.color: is not a parameter of this job type"))
        #expect(problems.err.contains("parameters.competitor_id: is required"))
        let noEquals = try await sluice.run(enqueue + ["meta_sync", "--brand", "Acme Coffee", "--param", "days"])
        #expect(noEquals.status == 64 && noEquals.err.contains("write it as name=value"))
        let badCron = try await sluice.run(
            enqueue + ["meta_sync", "--brand", "Acme Coffee", "--param", "ad_account_id=act_1", "--cron", "0 66 * * *"])
        #expect(badCron.status == 64 && badCron.err.contains("66 is out of range"), "\(badCron)")
        let badZone = try await sluice.run(
            enqueue + [
                "meta_sync", "--brand", "Acme Coffee", "--param", "ad_account_id=act_1", "--cron", "0 6 * * *",
                "--time-zone", "Mars/Olympus",
            ])
        #expect(badZone.status == 64 && badZone.err.contains("not a known IANA identifier"), "\(badZone)")
        let badTime = try await sluice.run(
            enqueue + ["meta_sync", "--brand", "Acme Coffee", "--param", "ad_account_id=act_1", "--at", "tomorrow"])
        #expect(badTime.status == 64 && badTime.err.contains("--at must be an RFC 3339 time"))
        let fromJSON = try await sluice.run(
            enqueue + [
                "meta_sync", "--brand", "Acme Coffee", "--params-json", #"{"ad_account_id": "act_9", "days": 3}"#,
                "--json",
            ])
        #expect(try fromJSON.object()["job"]?.objectValue?["parameters"] == ["ad_account_id": "act_9", "days": 3])
        let notObject = try await sluice.run(enqueue + ["meta_sync", "--brand", "Acme Coffee", "--params-json", "[1]"])
        #expect(notObject.status == 64 && notObject.err.contains("--params-json must be a JSON object"))
        let zoneAlone = try await sluice.run(
            enqueue + ["meta_sync", "--brand", "Acme Coffee", "--param", "ad_account_id=act_1", "--time-zone", "UTC"])
        #expect(zoneAlone.status == 64 && zoneAlone.err.contains("--time-zone goes with --cron"), "\(zoneAlone)")
        let badState = try await sluice("runs", "list", "--state", "done")
        #expect(badState.status == 64 && badState.err.contains("unknown state done"))
        #expect(try await sluice("jobs", "list", "--json").items().count == 1)

        let datasets = try await sluice("datasets", "--brand", "Acme Coffee", "--json").items()
        #expect(datasets.contains { $0["dataset"] == "competitor_ads" && $0["state"] == "unknown" })
        let history = try await sluice("datasets", "history", "competitor_ads", "--brand", "Acme Coffee")
        #expect(history.status == 0 && history.out.hasPrefix("RUN"), "\(history)")
        let unknownDataset = try await sluice("datasets", "history", "weather", "--brand", "Acme Coffee")
        #expect(unknownDataset.status == 1 && unknownDataset.err.contains("weather"), "\(unknownDataset)")
    }
}
