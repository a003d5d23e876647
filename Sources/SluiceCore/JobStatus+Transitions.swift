/// Something that happens to a job.
public enum JobEvent: Sendable, Hashable {
    /// An operator pauses it.
    case pause
    /// An operator resumes it.
    case resume
    /// An operator cancels it.
    case cancel
    /// Its one-time run ended.
    case finish
    /// A run of a finished one-time job is retried or run again.
    case reactivate
}

extension JobStatus {
    /// The status after `event`, or an error if the event is not allowed in this status.
    /// - Throws: ``SluiceError/Code/conflict`` naming the field `status`.
    public func applying(_ event: JobEvent) throws(SluiceError) -> JobStatus {
        switch (self, event) {
        case (.active, .pause): return .paused
        case (.paused, .resume): return .active
        case (.active, .cancel), (.paused, .cancel): return .cancelled
        case (.active, .finish), (.paused, .finish): return .finished
        case (.finished, .reactivate): return .active
        default: throw SluiceError(.conflict, "a \(rawValue) job cannot be \(event.pastParticiple)", field: "status")
        }
    }
}

extension JobEvent {
    fileprivate var pastParticiple: String {
        switch self {
        case .pause: "paused"
        case .resume: "resumed"
        case .cancel: "cancelled"
        case .finish: "finished"
        case .reactivate: "run again"
        }
    }
}
