/// How long a store operation started by the current task may wait on its database before it fails with
/// ``SluiceCore/SluiceError/Code/storageFailure``: a task-local value, so the worker can ask for short deadlines on
/// its heartbeats and claims without threading a parameter through every call.
///
/// Backends on a network (PostgreSQL) use it to notice a dead connection: a statement that has not been answered
/// within the deadline has its connection closed, the operation fails, and the next one runs on a fresh connection.
/// An embedded database ignores it.
///
/// ```swift
/// let leases = try await StoreDeadline.$timeout.withValue(.seconds(5)) {
///     try await store.heartbeatWorker(heartbeat)
/// }
/// ```
public enum StoreDeadline {
    /// The deadline for operations started by this task; nil for the backend's own default.
    @TaskLocal public static var timeout: Duration?
}
