import Foundation
import Testing

@testable import SluiceCore

@Suite("JobStatus transitions")
struct JobStatusTests {
    static let allEvents: [JobEvent] = [.pause, .resume, .cancel, .finish, .reactivate]

    /// The legal transitions, as documented on `JobStatus` and `JobEvent`: operators pause active jobs and
    /// resume paused ones, either can be cancelled or finish its one-time run, and a finished job can be run again.
    static let legal: [JobStatus: [JobEvent: JobStatus]] = [
        .active: [.pause: .paused, .cancel: .cancelled, .finish: .finished],
        .paused: [.resume: .active, .cancel: .cancelled, .finish: .finished],
        .finished: [.reactivate: .active],
        .cancelled: [:],
    ]

    private static func pastParticiple(_ event: JobEvent) -> String {
        switch event {
        case .pause: "paused"
        case .resume: "resumed"
        case .cancel: "cancelled"
        case .finish: "finished"
        case .reactivate: "run again"
        }
    }

    @Test(
        "every (status, event) pair: the expected status, or a conflict naming status",
        arguments: JobStatus.allCases, allEvents)
    func transition(status: JobStatus, event: JobEvent) throws {
        if let expected = Self.legal[status]?[event] {
            #expect(try status.applying(event) == expected)
        } else {
            let error = try #require(throws: SluiceError.self) { try status.applying(event) }
            #expect(error.code == .conflict)
            #expect(error.field == "status")
            #expect(error.message == "a \(status.rawValue) job cannot be \(Self.pastParticiple(event))")
        }
    }

    @Test("the set of legal pairs is exactly the table (7 of 20)")
    func legalSetMatchesTable() {
        var observed: [JobStatus: [JobEvent: JobStatus]] = [:]
        for status in JobStatus.allCases {
            observed[status] = [:]
            for event in Self.allEvents {
                if let next = try? status.applying(event) { observed[status]?[event] = next }
            }
        }
        #expect(observed == Self.legal)
        #expect(observed.values.map(\.count).reduce(0, +) == 7)
        #expect(Set(Self.allEvents.map(Self.pastParticiple)).count == 5)
    }

    @Test("cancelled is final")
    func cancelledIsFinal() {
        for event in Self.allEvents {
            #expect(throws: SluiceError.self) { try JobStatus.cancelled.applying(event) }
        }
    }

    @Test("pause then resume returns to active")
    func pauseResume() throws {
        #expect(try JobStatus.active.applying(.pause).applying(.resume) == .active)
        #expect(try JobStatus.active.applying(.finish).applying(.reactivate) == .active)
    }

    @Test(
        "holdsUniqueness: only active and paused jobs hold their key",
        arguments: [(JobStatus.active, true), (.paused, true), (.cancelled, false), (.finished, false)])
    func holdsUniqueness(status: JobStatus, holds: Bool) {
        #expect(status.holdsUniqueness == holds)
    }

    @Test("raw values")
    func rawValues() {
        #expect(JobStatus.allCases.map(\.rawValue) == ["active", "paused", "cancelled", "finished"])
    }
}
