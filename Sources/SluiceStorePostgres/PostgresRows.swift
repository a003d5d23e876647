import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

/// Column lists and decoding of PostgreSQL rows into SluiceCore values.
enum PostgresRows {
    static let jobColumns = """
        id, brand_id, job_type, parameters::text AS parameters, schedule_kind, run_at, cron, timezone, status, queue,
        priority, unique_key, next_fire_at, created_at, updated_at
        """

    /// Qualified with `runs.` (the view, or a run table aliased `AS runs`), so that it also serves `UPDATE run_queue AS
    /// runs … FROM other RETURNING`.
    static let runColumns = """
        runs.id, runs.job_id, runs.brand_id, runs.job_type, runs.queue, runs.priority,
        runs.parameters::text AS parameters, runs.state, runs.attempt, runs.max_attempts, runs.scheduled_at,
        runs.fire_time, runs.created_at, runs.started_at, runs.finished_at, runs.worker_id, runs.lease_expires_at,
        runs.cancel_requested, runs.progress, runs.progress_message, runs.error, runs.result::text AS result,
        runs.rows_written
        """

    static func job(_ row: PostgresRandomAccessRow) throws -> Job {
        let schedule: JobSchedule
        if try row["schedule_kind"].decode(String.self) == "recurring" {
            let cron = try row["cron"].decode(String?.self)
            let zone = try row["timezone"].decode(String?.self)
            guard let cron, let parsed = try? CronSchedule(parsing: cron), let zone,
                let timeZone = TimeZone(identifier: zone)
            else { throw SluiceError(.storageFailure, "stored recurring schedule is invalid") }
            schedule = .recurring(cron: parsed, timeZone: timeZone)
        } else {
            schedule = .once(at: try row["run_at"].optionalInstant() ?? row["created_at"].instant())
        }
        guard let status = JobStatus(rawValue: try row["status"].decode(String.self)) else {
            throw SluiceError(.storageFailure, "stored status is unknown")
        }
        return Job(
            id: try row["id"].decode(Int64.self), brandID: try row["brand_id"].decode(UUID.self),
            jobType: try row["job_type"].decode(String.self),
            parameters: try JSONCoding.decodeObject(row["parameters"].decode(String.self)), schedule: schedule,
            status: status, queue: try row["queue"].decode(String.self), priority: try row["priority"].decode(Int.self),
            uniqueKey: try row["unique_key"].decode(String?.self),
            nextFireAt: try row["next_fire_at"].optionalInstant(),
            createdAt: try row["created_at"].instant(),
            updatedAt: try row["updated_at"].instant())
    }

    static func run(_ row: PostgresRandomAccessRow) throws -> Run {
        guard let state = RunState(rawValue: try row["state"].decode(String.self)) else {
            throw SluiceError(.storageFailure, "stored run state is unknown")
        }
        return Run(
            id: try row["id"].decode(Int64.self), jobID: try row["job_id"].decode(Int64.self),
            brandID: try row["brand_id"].decode(UUID.self), jobType: try row["job_type"].decode(String.self),
            queue: try row["queue"].decode(String.self), priority: try row["priority"].decode(Int.self),
            parameters: try JSONCoding.decodeObject(row["parameters"].decode(String.self)), state: state,
            attempt: try row["attempt"].decode(Int.self), maxAttempts: try row["max_attempts"].decode(Int.self),
            scheduledAt: try row["scheduled_at"].instant(), fireTime: try row["fire_time"].optionalInstant(),
            createdAt: try row["created_at"].instant(), startedAt: try row["started_at"].optionalInstant(),
            finishedAt: try row["finished_at"].optionalInstant(), workerID: try row["worker_id"].decode(String?.self),
            leaseExpiresAt: try row["lease_expires_at"].optionalInstant(),
            cancelRequested: try row["cancel_requested"].decode(Bool.self),
            progress: try row["progress"].decode(Double?.self),
            progressMessage: try row["progress_message"].decode(String?.self),
            error: try row["error"].decode(String?.self),
            result: try row["result"].decode(String?.self).map(JSONCoding.decodeObject),
            rowsWritten: try row["rows_written"].decode(Int64?.self))
    }

    static func logLine(_ row: PostgresRandomAccessRow) throws -> LogLine {
        LogLine(
            id: try row["id"].decode(Int64.self), runID: try row["run_id"].decode(Int64.self),
            attempt: try row["attempt"].decode(Int.self), at: try row["at"].instant(),
            level: LogLevel(rawValue: try row["level"].decode(String.self)) ?? .info,
            message: try row["message"].decode(String.self))
    }

    static func datasetRecord(_ row: PostgresRandomAccessRow) throws -> DatasetRefreshRecord {
        DatasetRefreshRecord(
            brandID: try row["brand_id"].decode(UUID.self), dataset: try row["dataset"].decode(String.self),
            lastAttemptAt: try row["last_attempt_at"].optionalInstant(),
            lastSuccessAt: try row["last_success_at"].optionalInstant(),
            lastFailureAt: try row["last_failure_at"].optionalInstant(),
            lastError: try row["last_error"].decode(String?.self),
            rowsWritten: try row["rows_written"].decode(Int64?.self),
            lastRunID: try row["last_run_id"].decode(Int64?.self))
    }
}
