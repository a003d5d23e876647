import Foundation
import GRDB
import SluiceCore
import SluiceStore

/// Decoding of SQLite rows into SluiceCore values. Instants are stored as microseconds since 1970,
/// UUIDs as lowercase text, JSON documents as text.
enum SQLiteRows {
    /// The job columns every job query selects, in the order ``job(_:)`` reads them.
    static let jobColumns = """
        id, brand_id, job_type, parameters, schedule_kind, run_at, cron, timezone, status, queue, priority, unique_key,
        next_fire_at, created_at, updated_at
        """

    /// Decodes a row of ``jobColumns`` by position (name lookups dominated decoding time).
    static func job(_ row: Row) throws -> Job {
        let schedule: JobSchedule
        if (row[4] as String) == "recurring" {
            schedule = try recurringSchedule(cron: row[6], timeZone: row[7])
        } else {
            schedule = .once(at: date(row[5]) ?? date(row[13])!)
        }
        return Job(
            id: row[0], brandID: try uuid(row[1]), jobType: row[2], parameters: try JSONCoding.decodeObject(row[3]),
            schedule: schedule, status: try status(row[8]), queue: row[9], priority: row[10], uniqueKey: row[11],
            nextFireAt: date(row[12]), createdAt: date(row[13])!, updatedAt: date(row[14])!)
    }

    /// The run columns every run query selects, in the order ``run(_:)`` reads them.
    static let runColumns = """
        id, job_id, brand_id, job_type, queue, priority, parameters, state, attempt, max_attempts, scheduled_at,
        fire_time, created_at, started_at, finished_at, worker_id, lease_expires_at, cancel_requested, progress,
        progress_message, error, result, rows_written
        """

    /// Decodes a row of ``runColumns`` by position.
    static func run(_ row: Row) throws -> Run {
        guard let state = RunState(rawValue: row[7]) else {
            throw SluiceError(.storageFailure, "stored run state is unknown")
        }
        let result: String? = row[21]
        return Run(
            id: row[0], jobID: row[1], brandID: try uuid(row[2]), jobType: row[3], queue: row[4], priority: row[5],
            parameters: try JSONCoding.decodeObject(row[6]), state: state, attempt: row[8], maxAttempts: row[9],
            scheduledAt: date(row[10])!, fireTime: date(row[11]), createdAt: date(row[12])!, startedAt: date(row[13]),
            finishedAt: date(row[14]), workerID: row[15], leaseExpiresAt: date(row[16]), cancelRequested: row[17],
            progress: row[18], progressMessage: row[19], error: row[20],
            result: try result.map(JSONCoding.decodeObject),
            rowsWritten: row[22])
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

    private static func uuid(_ text: String) throws -> UUID { try StoredPipelineValues.uuid(text) }

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
