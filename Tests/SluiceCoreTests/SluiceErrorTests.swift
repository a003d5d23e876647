import Foundation
import Testing

@testable import SluiceCore

@Suite("SluiceError")
struct SluiceErrorTests {
    private struct OtherError: Error {}

    private static func fail(with error: any Error) throws {
        throw error
    }

    private static func failTyped(_ code: SluiceError.Code) throws(SluiceError) {
        throw SluiceError(code, "typed")
    }

    @Test(
        "codes have stable snake_case raw values",
        arguments: [
            (SluiceError.Code.unknownJobType, "unknown_job_type"),
            (.invalidParameters, "invalid_parameters"),
            (.invalidCron, "invalid_cron"),
            (.unknownTimeZone, "unknown_time_zone"),
            (.invalidArgument, "invalid_argument"),
            (.notFound, "not_found"),
            (.conflict, "conflict"),
            (.leaseLost, "lease_lost"),
            (.storageFailure, "storage_failure"),
        ])
    func codeRawValues(code: SluiceError.Code, rawValue: String) {
        #expect(code.rawValue == rawValue)
        #expect(SluiceError.Code(rawValue: rawValue) == code)
    }

    @Test("every code is listed")
    func allCodes() {
        #expect(SluiceError.Code.allCases.count == 9)
    }

    @Test("description is `code (field): message`, or `code: message` without a field")
    func descriptionFormat() {
        let withField = SluiceError(.invalidCron, "cron expression is invalid", field: "cron")
        #expect(withField.description == "invalid_cron (cron): cron expression is invalid")
        #expect("\(withField)" == "invalid_cron (cron): cron expression is invalid")
        let withoutField = SluiceError(.storageFailure, "disk full")
        #expect(withoutField.description == "storage_failure: disk full")
        #expect(SluiceError(.conflict, "", field: "").description == "conflict (): ")
    }

    @Test("the initialiser defaults to no field and no problems")
    func initDefaults() {
        let error = SluiceError(.leaseLost, "lease lost")
        #expect(error.code == .leaseLost)
        #expect(error.message == "lease lost")
        #expect(error.field == nil)
        #expect(error.problems.isEmpty)
        let problems = [FieldProblem(field: "parameters.a", message: "is required")]
        let full = SluiceError(.invalidParameters, "m", field: "parameters.a", problems: problems)
        #expect(full.problems == problems)
    }

    @Test("errors compare by code, message, field and problems")
    func equality() {
        #expect(SluiceError(.conflict, "m", field: "f") == SluiceError(.conflict, "m", field: "f"))
        #expect(SluiceError(.conflict, "m", field: "f") != SluiceError(.conflict, "m", field: "g"))
        #expect(SluiceError(.conflict, "m") != SluiceError(.notFound, "m"))
        #expect(SluiceError(.conflict, "m") != SluiceError(.conflict, "n"))
    }

    @Test("notFound names the entity and id, without a field")
    func notFoundHelper() {
        let error = SluiceError.notFound("job", 42)
        #expect(error.code == .notFound)
        #expect(error.message == "job 42 does not exist")
        #expect(error.field == nil)
        #expect(error.description == "not_found: job 42 does not exist")
        let uuid = UUID(uuidString: "11111111-2222-3333-4444-555555555555")!
        #expect(SluiceError.notFound("brand", uuid).message == "brand \(uuid.uuidString) does not exist")
        #expect(SluiceError.notFound("run", "abc").message == "run abc does not exist")
    }

    @Test("invalidArgument names the field")
    func invalidArgumentHelper() {
        let error = SluiceError.invalidArgument("limit", "must be positive")
        #expect(error == SluiceError(.invalidArgument, "must be positive", field: "limit"))
        #expect(error.description == "invalid_argument (limit): must be positive")
        #expect(error.problems.isEmpty)
    }

    // The form shown in SluiceError.swift's doc comment, `catch SluiceError.Code.notFound { … }`, does not
    // compile: Swift resolves `SluiceError.Code.notFound` as an enum-case pattern and reports
    // "pattern of type 'SluiceError.Code' cannot match 'any Error'", never reaching the custom `~=`.
    // Expression patterns that are not spelled as an enum case do reach it: a `where` clause, or a constant.
    private static let notFound = SluiceError.Code.notFound
    private static let conflict = SluiceError.Code.conflict

    @Test("`~=` in a catch clause matches by code", arguments: SluiceError.Code.allCases)
    func catchPatternMatchesCode(code: SluiceError.Code) {
        var caught: SluiceError.Code?
        do {
            try Self.fail(with: SluiceError(code, "boom"))
        } catch let error where SluiceError.Code.notFound ~= error {
            caught = .notFound
        } catch Self.conflict {
            caught = .conflict
        } catch let error as SluiceError {
            caught = error.code
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(caught == code)
    }

    @Test("a catch pattern falls through for other codes and other error types")
    func catchPatternFallsThrough() {
        var reachedSecondClause = false
        do {
            try Self.fail(with: SluiceError.notFound("job", 1))
        } catch Self.conflict {
            Issue.record("conflict must not match notFound")
        } catch Self.notFound {
            reachedSecondClause = true
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(reachedSecondClause)

        var reachedGeneric = false
        do {
            try Self.fail(with: OtherError())
        } catch Self.notFound {
            Issue.record("a non-Sluice error must not match")
        } catch {
            reachedGeneric = true
        }
        #expect(reachedGeneric)
    }

    @Test("the pattern works with typed throws")
    func catchPatternTypedThrows() {
        var matched = false
        do {
            try Self.failTyped(.leaseLost)
        } catch let error where SluiceError.Code.leaseLost ~= error {
            matched = true
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(matched)
    }

    @Test("~= directly")
    func patternOperator() {
        #expect(SluiceError.Code.conflict ~= SluiceError(.conflict, "x"))
        #expect(!(SluiceError.Code.conflict ~= SluiceError(.notFound, "x")))
        #expect(!(SluiceError.Code.conflict ~= OtherError()))
        #expect(!(SluiceError.Code.storageFailure ~= CocoaError(.fileNoSuchFile)))
    }

    @Test("FieldProblem: description and Codable round trip")
    func fieldProblem() throws {
        let problem = FieldProblem(field: "parameters.max_ads", message: "value must be at most 5000")
        #expect(problem.description == "parameters.max_ads: value must be at most 5000")
        let data = try JSONEncoder().encode([problem])
        #expect(try JSONDecoder().decode([FieldProblem].self, from: data) == [problem])
    }
}
