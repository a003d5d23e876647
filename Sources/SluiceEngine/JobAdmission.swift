import Foundation
import SluiceCore
import SluiceStore

/// A job type's checks at enqueue time that its parameter schema cannot express: that referenced records exist and
/// belong to the job's brand, or that a value parses (an Ad Library URL). ``SluiceClient`` runs them before inserting,
/// so a bad job is refused with the field named instead of failing later in a worker.
///
/// An admission holds what it reads (its domain's store, say); the engine hands it only the validated job.
///
/// ```swift
/// struct ScrapeAdmission: JobAdmission {
///     let competitors: any CompetitorDirectory
///     func admit(_ job: ValidatedJob) async throws {
///         guard try await competitors.competitor(...).brandID == job.brandID else { throw ... }
///     }
/// }
/// ```
public protocol JobAdmission: Sendable {
    /// Checks a job that passed validation (its parameters match the schema, defaults applied).
    ///
    /// - Throws: ``SluiceError/Code/invalidParameters`` with each problem's field (`parameters.NAME`), or
    ///   ``SluiceError/Code/notFound`` for a reference to a record that does not exist.
    func admit(_ job: ValidatedJob) async throws
}

extension SluiceError {
    /// An ``Code/invalidParameters`` error with one problem on parameter `name`.
    public static func invalidParameter(_ name: String, _ message: String) -> SluiceError {
        SluiceError(
            .invalidParameters, "parameters.\(name): \(message)", field: "parameters.\(name)",
            problems: [FieldProblem(field: "parameters.\(name)", message: message)])
    }
}
