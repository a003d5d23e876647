import SluiceCore
@_exported import SluiceProbeJobs

/// The job type that crash tests run in separate worker processes; its handler keeps a ``LedgerEntry`` ledger.
public enum LedgerJobTypes {
    /// Sleeps for its `sleep_ms` parameter, writing a start and an end line to the ledger.
    public static let ledgerSleep = JobType(
        name: "ledger_sleep", label: "Ledger sleep",
        schema: ParameterSchema([ParameterField("sleep_ms", .int, minimum: 0, maximum: 600_000, default: .int(100))]),
        retryPolicy: RetryPolicy(maxAttempts: 5, initialDelay: .milliseconds(100), multiplier: 1, jitter: 0))

    /// The registry of the worker processes.
    public static let registry = try! JobTypeRegistry([ledgerSleep])
}
