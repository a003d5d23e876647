import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    public func completeRuns(_ completions: [CompletedRun]) async throws -> Set<Int64> {
        for item in completions { try item.completion.validate() }
        guard !completions.isEmpty else { return [] }
        let now = configuration.now()
        let followUps = try completions.map {
            try configuration.validate($0.completion.followUps, now: now, field: "follow_ups")
        }
        defer { if followUps.contains(where: { !$0.isEmpty }) { announceWork() } }
        return try await write { db in
            let statement = try db.cachedStatement(
                sql: """
                    UPDATE runs SET state = 'succeeded', finished_at = ?, lease_expires_at = NULL, progress = 1,
                        result = ?, rows_written = ?, error = NULL, progress_message = COALESCE(?, progress_message)
                    WHERE \(Self.fence) RETURNING job_id, job_type, brand_id
                    """)
            var completed: Set<Int64> = []
            var jobIDs: [Int64] = []
            for (item, followUps) in zip(completions, followUps) {
                statement.arguments =
                    [
                        now.microsecondsSince1970, JSONCoding.encodeString(item.completion.result),
                        item.completion.rowsWritten, item.completion.progressMessage,
                    ]
                    + Self.fenceArguments(item.lease, now: now)
                guard let row = try Row.fetchOne(statement) else { continue }
                completed.insert(item.lease.runID)
                jobIDs.append(row[0])
                if let dataset = configuration.registry[row[1] as String]?.dataset {
                    let event = DatasetEvent(
                        brandID: try StoredPipelineValues.uuid(row[2]), dataset: dataset, runID: item.lease.runID,
                        outcome: .succeeded(rowsWritten: item.completion.rowsWritten ?? 0))
                    try Self.apply(event, at: now.microsecondsSince1970, in: db)
                }
                for job in followUps { _ = try Self.insert(job, now: now, in: db) }
            }
            for chunk in stride(from: 0, to: jobIDs.count, by: 500).map({
                Array(jobIDs[$0..<min($0 + 500, jobIDs.count)])
            }) {
                try db.execute(
                    sql: """
                        UPDATE jobs SET status = 'finished', updated_at = ?
                        WHERE id IN \(databaseQuestionMarks(count: chunk.count).inParentheses) AND schedule_kind = 'once'
                          AND status IN ('active', 'paused')
                        """, arguments: [now.microsecondsSince1970] + StatementArguments(chunk))
            }
            return completed
        }
    }

    public func nextDueTime(queues: [String], jobTypes: [String]) async throws -> Date? {
        let plan = try ClaimPlan(
            ClaimRequest(workerID: "next-due", queues: queues, jobTypes: jobTypes, limit: 0),
            registry: configuration.registry)
        return try await read { db in
            try plan.targets.compactMap { target in
                try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT MIN(scheduled_at) FROM runs
                        WHERE queue = ? AND job_type = ? AND state IN ('queued', 'retrying') AND paused = 0
                        """, arguments: [target.queue, target.jobType])
            }.min().map(Date.init(microsecondsSince1970:))
        }
    }

    public func scheduleRecurringRuns(_ request: RecurringScheduleRequest) async throws -> [Run] {
        try request.validate()
        let now = configuration.now()
        let horizon = now.addingTimeInterval(request.lookahead.seconds)
        let configuration = configuration
        let created = try await write { db in
            let due = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(SQLiteRows.jobColumns) FROM jobs
                    WHERE schedule_kind = 'recurring' AND status = 'active' AND next_fire_at <= ?
                    ORDER BY next_fire_at LIMIT ?
                    """, arguments: [horizon.microsecondsSince1970, request.limit]
            ).map(SQLiteRows.job)
            var created: [Run] = []
            for job in due {
                guard let nextFireAt = job.nextFireAt else { continue }
                let tick = configuration.tick(of: job, due: nextFireAt, now: now, grace: request.misfireGrace)
                if let fireTime = tick.fireTime,
                    let row = try Row.fetchOne(
                        db,
                        sql: """
                            INSERT INTO runs (job_id, brand_id, job_type, queue, priority, parameters, state,
                                max_attempts, scheduled_at, fire_time, created_at)
                            VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)
                            ON CONFLICT (job_id, fire_time) WHERE fire_time IS NOT NULL DO NOTHING
                            RETURNING \(SQLiteRows.runColumns)
                            """,
                        arguments: [
                            job.id, job.brandID.storageText, job.jobType, job.queue, job.priority,
                            JSONCoding.encodeString(job.parameters),
                            configuration.maxAttempts(of: job.jobType),
                            tick.scheduledAt.microsecondsSince1970, fireTime.microsecondsSince1970,
                            now.microsecondsSince1970,
                        ])
                {
                    created.append(try SQLiteRows.run(row))
                }
                if tick.missed {
                    let alert = StoredPipelineValues.missedTickAlert(
                        job: job, tick: nextFireAt, now: now, ranOnce: tick.fireTime != nil)
                    _ = try SQLiteJobStore.insertAlert(db, alert, now: now.microsecondsSince1970)
                }
                try db.execute(
                    sql: "UPDATE jobs SET next_fire_at = ?, updated_at = ? WHERE id = ?",
                    arguments: [tick.nextFireAt?.microsecondsSince1970, now.microsecondsSince1970, job.id])
            }
            return created
        }
        if !created.isEmpty { announceWork() }
        return created
    }

    public func listenForWork(queues: [String], _ wake: @escaping @Sendable () -> Void) async throws {
        await LocalWorkSignal.forDatabase(at: pool.path).listen(wake)
    }

    /// Wakes this process's listeners: runs may have become available.
    func announceWork() {
        LocalWorkSignal.forDatabase(at: pool.path).signal()
    }
}
