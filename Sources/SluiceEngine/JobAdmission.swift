import Foundation
import SluiceCore
import SluiceStore

/// A job type's checks at enqueue time that its parameter schema cannot express: that referenced records exist and
/// belong to the job's brand, or that a value parses (an Ad Library URL). ``SluiceClient`` runs them before inserting,
/// so a bad job is refused with the field named instead of failing later in a worker.
///
/// ```swift
/// struct ScrapeAdmission: JobAdmission {
///     func admit(_ request: JobRequest, store: any JobStore) async throws {
///         guard try await store.competitor(...).brandID == request.brandID else { throw ... }
///     }
/// }
/// ```
public protocol JobAdmission: Sendable {
    /// Checks a request whose parameters already passed the schema (defaults applied).
    /// - Throws: ``SluiceError/Code/invalidParameters`` with each problem's field (`parameters.NAME`).
    func admit(_ request: JobRequest, store: any JobStore) async throws
}

extension SluiceError {
    /// An ``Code/invalidParameters`` error with one problem on parameter `name`.
    public static func invalidParameter(_ name: String, _ message: String) -> SluiceError {
        SluiceError(
            .invalidParameters, "parameters.\(name): \(message)", field: "parameters.\(name)",
            problems: [FieldProblem(field: "parameters.\(name)", message: message)])
    }
}
