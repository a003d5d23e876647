extension CronSchedule {
    /// Why a cron expression could not be parsed.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// A human-readable explanation that names the offending field where there is one,
        /// for example `minute field: 75 is out of range 0-59`.
        public let message: String

        /// The same as ``message``.
        public var description: String {
            message
        }

        init(message: String) {
            self.message = message
        }
    }
}
