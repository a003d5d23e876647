import ServiceLifecycle

extension ServiceGroupConfiguration {
    /// Makes a graceful shutdown end in bounded time whatever the services are doing: the worker's grace period
    /// plus 2 s for the services to return, then cancellation, and 3 s after that the process ends (ServiceLifecycle
    /// escalates to a crash). A handler that ignores cancellation, or a call that never returns, cannot keep a
    /// stopping process alive; the runs it still held are rescued when their leases run out.
    public mutating func bound(byGracePeriod grace: Duration) {
        maximumGracefulShutdownDuration = grace + .seconds(2)
        maximumCancellationDuration = .seconds(3)
    }
}
