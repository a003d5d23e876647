import Foundation
import SluiceCore
import SluiceEngine
import SluiceStore
import SluiceTestSupport
import Testing

// The complete example of docs/job-types.md: a job type, its handler, its registration and its tests. The doc quotes
// this file; keep the two in step.

// MARK: - The job type and its dataset

/// `word_count`: counts the words of a text, the example job type of docs/job-types.md.
enum WordCount {
    /// The job type: name, label, emoji, dataset, parameters, queue, priority, timeout, retries, concurrency.
    static let jobType = JobType(
        name: "word_count", label: "Word Count", emoji: "🔤", dataset: "word_counts",
        schema: ParameterSchema([
            ParameterField(
                "text", .string, required: true, minimum: 1, maximum: 100_000, summary: "The text to count."),
            ParameterField(
                "min_length", .int, minimum: 1, maximum: 50, default: .int(1),
                summary: "Words shorter than this many characters are not counted."),
        ]),
        queue: "default", priority: 5, timeout: .seconds(60),
        retryPolicy: RetryPolicy(maxAttempts: 3, initialDelay: .seconds(5)),
        concurrencyLimit: 2)

    /// The dataset it refreshes: stale a day after the last successful run.
    static func dataset() throws -> Dataset {
        try Dataset(
            name: "word_counts", label: "Word Counts", producedBy: "word_count",
            policy: try FreshnessPolicy(warnAfter: .seconds(86_400)))
    }

    /// The registry a process validates jobs against: here, only this job type.
    static func registry() throws -> JobTypeRegistry { try JobTypeRegistry([jobType]) }

    /// The handlers a worker runs: here, only this job type's.
    static func handlers() -> HandlerRegistry {
        var handlers = HandlerRegistry()
        handlers.register("word_count", WordCountHandler())
        return handlers
    }
}

// MARK: - The handler

/// A text without a single word of the minimum length. Retrying cannot change that, so the run fails at once
/// instead of using its remaining attempts.
struct NoWordsError: RetryableError, CustomStringConvertible {
    let minimumLength: Int
    var isRetryable: Bool { false }
    var description: String { "the text has no word of at least \(minimumLength) characters" }
}

/// Counts the words of `text` line by line, reporting progress after each line.
struct WordCountHandler: JobHandler {
    func run(_ context: RunContext) async throws -> JobOutcome {
        let text = try context.parameters.string("text")
        let minimumLength = try context.parameters.int("min_length")
        let lines = text.split(whereSeparator: { $0.isNewline })
        context.log("counting words in \(lines.count) lines")
        var counts: [String: Int] = [:]
        var ignored = 0
        for (index, line) in lines.enumerated() {
            try context.checkCancellation()
            for word in line.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
                if word.count >= minimumLength {
                    counts[word.lowercased(), default: 0] += 1
                } else {
                    ignored += 1
                }
            }
            context.progress(Double(index + 1) / Double(lines.count), "counted \(index + 1) of \(lines.count) lines")
        }
        if ignored > 0 {
            context.log("skipped words shorter than \(minimumLength) characters: \(ignored)", level: .warning)
        }
        // Most frequent first; ties in alphabetical order.
        guard let top = counts.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }).first else {
            throw NoWordsError(minimumLength: minimumLength)
        }
        let total = counts.values.reduce(0, +)
        context.log("counted \(total) words, \(counts.count) distinct")
        return JobOutcome(
            result: ["words": .int(Int64(total)), "distinct": .int(Int64(counts.count)), "top_word": .string(top.key)],
            rowsWritten: Int64(counts.count))
    }
}

// MARK: - The tests

@Suite("Example job type: word_count")
struct ExampleJobTypeTests {

    /// A fresh database of `backend` that knows the example job type, with a client and a running worker.
    static func withWorker(
        _ backend: TestBackend,
        _ body: @Sendable @escaping (SluiceClient, any JobStore, WorkerEventLog, UUID) async throws -> Void
    ) async throws {
        let registry = try WordCount.registry()
        let datasets = try DatasetRegistry([try WordCount.dataset()], jobTypes: registry)
        try await backend.withDatabase(configuration: StoreConfiguration(registry: registry)) { database in
            let store = database.stores[0]
            let client = SluiceClient(store: store, registry: registry, datasets: datasets)
            let events = WorkerEventLog()
            let worker = try Worker(
                store: store, registry: registry, handlers: WordCount.handlers(),
                configuration: EngineFixture.workerConfiguration(), logger: EngineFixture.quietLogger,
                observer: events.observer)
            let brand = try await client.createBrand(name: "Word Counters").id
            try await EngineFixture.withServices([worker]) { try await body(client, store, events, brand) }
        }
    }

    @Test(
        "word_count counts words, reports progress and logs, and refreshes its dataset",
        .timeLimit(.minutes(4)), arguments: TestBackend.allCases)
    func countsWords(backend: TestBackend) async throws {
        try await Self.withWorker(backend) { client, store, events, brand in
            let inserted = try await client.enqueue(
                JobRequest(
                    brandID: brand, jobType: "word_count",
                    parameters: ["text": "the cat\nthe dog\na cat and the bird", "min_length": 2]))
            let runID = try #require(inserted.run).id
            try await events.ended(runID, attempt: 1)
            let run = try await store.run(id: runID)
            #expect(run.state == .succeeded && run.attempt == 1)
            #expect(run.result == ["words": .int(8), "distinct": .int(5), "top_word": .string("the")])
            #expect(run.rowsWritten == 5 && run.progress == 1)
            let logs = try await client.logs(runID: runID)
            #expect(
                logs.map(\.message) == [
                    "counting words in 3 lines", "skipped words shorter than 2 characters: 1",
                    "counted 8 words, 5 distinct",
                ])
            #expect(logs.map(\.level) == [.info, .warning, .info])
            #expect(try await client.logSummary(runID: runID).warnings == 1)
            // The store records the dataset's refresh in the transaction that records the run's success.
            let freshness = try #require(try await client.freshness(brandID: brand).first)
            #expect(freshness.dataset.name == "word_counts" && freshness.state == .fresh)
            #expect(freshness.record?.rowsWritten == 5 && freshness.record?.lastRunID == runID)
            #expect(try await client.job(id: inserted.job.id).status == .finished)
        }
    }

    @Test(
        "bad parameters are refused at enqueue; a text without words fails at once, without retries",
        .timeLimit(.minutes(4)), arguments: TestBackend.allCases)
    func refusesAndFails(backend: TestBackend) async throws {
        try await Self.withWorker(backend) { client, store, events, brand in
            let refused = try await #require(throws: SluiceError.self) {
                try await client.enqueue(
                    JobRequest(brandID: brand, jobType: "word_count", parameters: ["min_length": 0]))
            }
            #expect(refused.code == .invalidParameters)
            #expect(refused.problems.map(\.field) == ["parameters.text", "parameters.min_length"])
            #expect(try await client.jobs(JobQuery(jobType: "word_count")).items.isEmpty, "nothing was enqueued")

            let inserted = try await client.enqueue(
                JobRequest(
                    brandID: brand, jobType: "word_count", parameters: ["text": "a b c", "min_length": 2]))
            let runID = try #require(inserted.run).id
            try await events.ended(runID, attempt: 1)
            let run = try await store.run(id: runID)
            #expect(run.state == .failed && run.attempt == 1 && run.maxAttempts == 3)
            #expect(run.error == "the text has no word of at least 2 characters")
            #expect(try await client.freshness(brandID: brand).first?.state == .failing)
        }
    }
}
