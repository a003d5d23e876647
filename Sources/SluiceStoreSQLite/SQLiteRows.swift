import Foundation
import GRDB
import SluiceCore
import SluiceStore

/// Decoding of SQLite rows into SluiceCore values. Instants are stored as microseconds since 1970,
/// UUIDs as lowercase text, JSON documents as text.
enum SQLiteRows {
    static func job(_ row: Row) throws -> Job {
        let schedule: JobSchedule
        if (row["schedule_kind"] as String) == "recurring" {
            schedule = try recurringSchedule(cron: row["cron"], timeZone: row["timezone"])
        } else {
            schedule = .once(at: date(row["run_at"]) ?? date(row["created_at"])!)
        }
        return Job(
            id: row["id"], brandID: try uuid(row["brand_id"]), jobType: row["job_type"],
            parameters: try JSONCoding.decodeObject(row["parameters"]), schedule: schedule,
            status: try status(row["status"]), queue: row["queue"], priority: row["priority"],
            uniqueKey: row["unique_key"], nextFireAt: date(row["next_fire_at"]), createdAt: date(row["created_at"])!,
            updatedAt: date(row["updated_at"])!)
    }

    static func run(_ row: Row) throws -> Run {
        guard let state = RunState(rawValue: row["state"]) else {
            throw SluiceError(.storageFailure, "stored run state is unknown")
        }
        let result: String? = row["result"]
        return Run(
            id: row["id"], jobID: row["job_id"], brandID: try uuid(row["brand_id"]), jobType: row["job_type"],
            queue: row["queue"], priority: row["priority"], parameters: try JSONCoding.decodeObject(row["parameters"]),
            state: state, attempt: row["attempt"], maxAttempts: row["max_attempts"],
            scheduledAt: date(row["scheduled_at"])!, fireTime: date(row["fire_time"]),
            createdAt: date(row["created_at"])!, startedAt: date(row["started_at"]),
            finishedAt: date(row["finished_at"]),
            workerID: row["worker_id"], leaseExpiresAt: date(row["lease_expires_at"]),
            cancelRequested: row["cancel_requested"], progress: row["progress"],
            progressMessage: row["progress_message"], error: row["error"],
            result: try result.map(JSONCoding.decodeObject), rowsWritten: row["rows_written"])
    }

    static func logLine(_ row: Row) throws -> LogLine {
        LogLine(
            id: row["id"], runID: row["run_id"], attempt: row["attempt"], at: date(row["at"])!,
            level: LogLevel(rawValue: row["level"]) ?? .info, message: row["message"])
    }

    static func datasetRecord(_ row: Row) throws -> DatasetRefreshRecord {
        DatasetRefreshRecord(
            brandID: try uuid(row["brand_id"]), dataset: row["dataset"], lastAttemptAt: date(row["last_attempt_at"]),
            lastSuccessAt: date(row["last_success_at"]), lastFailureAt: date(row["last_failure_at"]),
            lastError: row["last_error"], rowsWritten: row["rows_written"], lastRunID: row["last_run_id"])
    }

    static func date(_ microseconds: Int64?) -> Date? {
        microseconds.map(Date.init(microsecondsSince1970:))
    }

    static func recurringSchedule(cron: String?, timeZone: String?) throws -> JobSchedule {
        guard let cron, let schedule = try? CronSchedule(parsing: cron), let timeZone,
            let zone = TimeZone(identifier: timeZone)
        else { throw SluiceError(.storageFailure, "stored recurring schedule is invalid") }
        return .recurring(cron: schedule, timeZone: zone)
    }

    private static func uuid(_ text: String) throws -> UUID {
        guard let uuid = UUID(uuidString: text) else {
            throw SluiceError(.storageFailure, "stored brand id is invalid")
        }
        return uuid
    }

    private static func status(_ text: String) throws -> JobStatus {
        guard let status = JobStatus(rawValue: text) else {
            throw SluiceError(.storageFailure, "stored status is unknown")
        }
        return status
    }
}

extension UUID {
    /// The lowercase text form both stores keep.
    var storageText: String { uuidString.lowercased() }
}
