import PostgresNIO

/// Runs connection pools for as long as a body runs.
public enum PostgresPool {
    /// Runs each client's pool (`run()`) while `body` runs, then cancels them without waiting for them to wind down:
    /// a pool's shutdown waits for every lent connection, and one abandoned at a deadline (see ``PostgresJobStore``)
    /// may never come back, which would keep the caller waiting for ever.
    @discardableResult
    public static func running<T>(_ clients: [PostgresClient], _ body: () async throws -> T) async rethrows -> T {
        let pools = clients.map { client in Task { await client.run() } }
        defer { for pool in pools { pool.cancel() } }
        return try await body()
    }
}
