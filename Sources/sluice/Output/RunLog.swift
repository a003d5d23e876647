import SluiceEngine
import SluiceStore

/// A run's log as far as it is written, read a page at a time.
enum RunLog {
    static let pageSize = 500

    /// The lines after the line `after` (from the start when nil), up to the last one written so far.
    static func lines(of runID: Int64, after: Int64?, client: SluiceClient) async throws -> [LogLine] {
        var lines: [LogLine] = []
        var cursor = after
        while true {
            let page = try await client.logs(runID: runID, after: cursor, limit: pageSize)
            lines += page
            guard page.count == pageSize, let last = page.last else { return lines }
            cursor = last.id
        }
    }
}
