import Foundation
import Synchronization

/// What a mutating request did, for its audit entry: its target and brand, refined by the handler once known
/// (`job/12` once the job exists). Until then the target is the request's path, so that refusals are recorded too.
final class AuditTrail: Sendable {
    private let state: Mutex<(target: String, brandID: UUID?, action: String?)>

    init(target: String) {
        state = Mutex((target, nil, nil))
    }

    /// Names what the action touched, and (for a route with several kinds of action) which action it was.
    func note(target: String, brandID: UUID?, action: String? = nil) {
        state.withLock { $0 = (target, brandID, action ?? $0.action) }
    }

    var target: String { state.withLock { $0.target } }
    var brandID: UUID? { state.withLock { $0.brandID } }
    /// The action named by the handler, if it refined the route's.
    var action: String? { state.withLock { $0.action } }
}
