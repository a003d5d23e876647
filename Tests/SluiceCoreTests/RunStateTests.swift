import Foundation
import Testing

@testable import SluiceCore

@Suite("RunState transitions")
struct RunStateTests {
    /// Every run event, including both values of each `willRetry`.
    static let allEvents: [RunEvent] = [
        .claim, .succeed, .fail(willRetry: true), .fail(willRetry: false), .timeOut(willRetry: true),
        .timeOut(willRetry: false), .rescue(willRetry: true), .rescue(willRetry: false), .cancel, .requeue, .release,
        .retry,
    ]

    /// The legal transitions, transcribed from the diagram in RunState.swift:
    ///
    /// ```text
    /// queued ──claim──▶ running ──▶ succeeded | failed | retrying | cancelled | timed_out
    ///   ▲                 │ release (graceful shutdown)
    ///   └─────────────────┘
    /// retrying ──requeue (when due)──▶ queued
    /// failed | timed_out | cancelled ──retry (manual)──▶ queued
    /// queued | retrying ──cancel──▶ cancelled
    /// ```
    static let legal: [RunState: [RunEvent: RunState]] = [
        .queued: [.claim: .running, .cancel: .cancelled],
        .running: [
            .succeed: .succeeded,
            .fail(willRetry: true): .retrying, .fail(willRetry: false): .failed,
            .timeOut(willRetry: true): .retrying, .timeOut(willRetry: false): .timedOut,
            .rescue(willRetry: true): .retrying, .rescue(willRetry: false): .failed,
            .cancel: .cancelled,
            .release: .queued,
        ],
        .retrying: [.requeue: .queued, .cancel: .cancelled],
        .failed: [.retry: .queued],
        .timedOut: [.retry: .queued],
        .cancelled: [.retry: .queued],
        .succeeded: [:],
    ]

    /// The verb used in conflict messages (mirrors the source's wording).
    private static func verb(_ event: RunEvent) -> String {
        switch event {
        case .claim: "be claimed"
        case .succeed: "succeed"
        case .fail: "fail"
        case .timeOut: "time out"
        case .rescue: "be rescued"
        case .cancel: "be cancelled"
        case .requeue: "be requeued"
        case .release: "be released"
        case .retry: "be retried"
        }
    }

    @Test(
        "every (state, event) pair: the documented next state, or a conflict naming state",
        arguments: RunState.allCases, allEvents)
    func transition(state: RunState, event: RunEvent) throws {
        if let expected = Self.legal[state]?[event] {
            #expect(try state.applying(event) == expected)
        } else {
            let error = try #require(throws: SluiceError.self) { try state.applying(event) }
            #expect(error.code == .conflict)
            #expect(error.field == "state")
            #expect(error.problems.isEmpty)
            #expect(error.message == "a \(state.rawValue) run cannot \(Self.verb(event))")
        }
    }

    @Test("the set of legal pairs is exactly the diagram's (16 of 84)")
    func legalSetMatchesDiagram() {
        var observed: [RunState: [RunEvent: RunState]] = [:]
        for state in RunState.allCases {
            observed[state] = [:]
            for event in Self.allEvents {
                if let next = try? state.applying(event) { observed[state]?[event] = next }
            }
        }
        #expect(observed == Self.legal)
        #expect(observed.values.map(\.count).reduce(0, +) == 16)
        #expect(RunState.allCases.count * Self.allEvents.count == 84)
    }

    @Test("the event list covers every RunEvent case")
    func eventListIsComplete() {
        // `verb` switches exhaustively, so a new case fails to compile until it is added there and here.
        #expect(Set(Self.allEvents.map(Self.verb)).count == 9)
        #expect(Set(Self.allEvents).count == Self.allEvents.count)
    }

    @Test("isTerminal: succeeded, failed, cancelled and timed_out only")
    func isTerminal() {
        let terminal = Set(RunState.allCases.filter(\.isTerminal))
        #expect(terminal == [.succeeded, .failed, .cancelled, .timedOut])
    }

    @Test("isPending: queued and retrying only")
    func isPending() {
        let pending = Set(RunState.allCases.filter(\.isPending))
        #expect(pending == [.queued, .retrying])
        #expect(pending.allSatisfy { !$0.isTerminal })
    }

    @Test("terminal states only accept a manual retry, back to queued; succeeded accepts nothing")
    func terminalStatesOnlyRetry() {
        for state in RunState.allCases where state.isTerminal {
            let accepted = Self.allEvents.filter { (try? state.applying($0)) != nil }
            #expect(accepted == (state == .succeeded ? [] : [.retry]))
        }
    }

    @Test("every non-terminal state can be cancelled")
    func nonTerminalCancellable() throws {
        for state in RunState.allCases where !state.isTerminal {
            #expect(try state.applying(.cancel) == .cancelled)
        }
    }

    @Test("raw values and Codable use snake_case")
    func rawValuesAndCoding() throws {
        #expect(
            RunState.allCases.map(\.rawValue) == [
                "queued", "running", "succeeded", "failed", "retrying", "cancelled", "timed_out",
            ])
        let data = try JSONEncoder().encode(RunState.allCases)
        #expect(try JSONDecoder().decode([RunState].self, from: data) == RunState.allCases)
        #expect(String(decoding: try JSONEncoder().encode([RunState.timedOut]), as: UTF8.self) == #"["timed_out"]"#)
    }

    @Test("a run's lease exists only while running with a worker and an expiry")
    func runLease() {
        let expiry = Date(timeIntervalSince1970: 1_767_225_700)
        func run(_ state: RunState, worker: String? = "w1", expires: Date? = expiry) -> Run {
            Run(
                id: 9, jobID: 3, brandID: UUID(uuidString: "11111111-2222-3333-4444-555555555555")!, jobType: "report",
                queue: "default", priority: 0, parameters: [:], state: state, attempt: 2, maxAttempts: 5,
                scheduledAt: expiry, fireTime: nil, createdAt: expiry, startedAt: expiry, finishedAt: nil,
                workerID: worker, leaseExpiresAt: expires, cancelRequested: false, progress: nil,
                progressMessage: nil, error: nil, result: nil, rowsWritten: nil)
        }
        #expect(run(.running).lease == RunLease(runID: 9, workerID: "w1", attempt: 2, expiresAt: expiry))
        #expect(run(.running, worker: nil).lease == nil)
        #expect(run(.running, expires: nil).lease == nil)
        for state in RunState.allCases where state != .running {
            #expect(run(state).lease == nil)
        }
    }
}
