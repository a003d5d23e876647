import Foundation
import Hummingbird
import SluiceCore
import SluiceEngine
import SluiceStore

extension SluiceAPI {
    /// Rate limiters, workers, API tokens and the audit log.
    func registerOperationRoutes(_ routes: RouteTable) {
        routes.get("/rate-limiters") { _, context in
            _ = try context.caller()
            let limiters = try await client.rateLimiters()
            return JSONResponse(APIRepresentation.rateLimiters(limiters)).response()
        }
        routes.post("/rate-limiters/{name}", audit: "rate_limiter.update") { request, context, trail in
            // A limiter binds every brand's runs: only unscoped operators and admins change it.
            let caller = try context.caller()
            try caller.require(.operator)
            try caller.requireUnscoped()
            let name = context.parameters.get("name") ?? ""
            trail.note(target: "rate_limiter/\(name.prefix(64))", brandID: nil)
            let body = try await RateLimiterBody.shape.read(request, limit: configuration.maxBodyBytes)
            let limiter = try await client.updateRateLimiter(
                RateLimiterSettings(
                    name: name, ratePerSecond: try body[RateLimiterBody.ratePerSecond],
                    burst: try body[RateLimiterBody.burst]))
            return JSONResponse(APIRepresentation.rateLimiter(limiter)).response()
        }
        routes.get("/workers") { _, context in
            try context.caller().requireUnscoped()
            let workers = try await client.workers()
            // The running runs of every worker, up to a page of 1 000 (concurrency is at most 1 000 per worker).
            let running = try await client.runs(RunQuery(states: [.running], limit: PageLimit.maximum)).items
            let runsByWorker = Dictionary(grouping: running) { $0.workerID ?? "" }
            let activity = workers.map { record in
                WorkerActivity(record: record, runningRunIDs: (runsByWorker[record.info.id] ?? []).map(\.id).sorted())
            }
            return JSONResponse(APIRepresentation.workers(activity)).response()
        }
        routes.get("/tokens") { _, context in
            try context.caller().require(.admin)
            return JSONResponse(
                APIRepresentation.tokens(try await client.tokens().map { IssuedToken(token: $0, secret: nil) })
            ).response()
        }
        routes.post("/tokens", audit: "token.create") { request, context, trail in
            try context.caller().require(.admin)
            let body = try await TokenBody.shape.read(request, limit: configuration.maxBodyBytes)
            let (name, role, brandID) = (
                try body[TokenBody.name], try body[TokenBody.role], try body[TokenBody.brandID]
            )
            trail.note(target: "token/\(name.prefix(80))", brandID: brandID)
            let (secret, hash) = AccessTokens.generate()
            let token = try await client.createToken(
                NewAPIToken(name: name, role: role, brandID: brandID, secretHash: hash))
            trail.note(target: "token/\(token.id.lowercased)", brandID: brandID)
            return JSONResponse(status: .created, APIRepresentation.token(IssuedToken(token: token, secret: secret)))
                .response()
        }
        routes.delete("/tokens/{token_id}", audit: "token.revoke") { _, context, trail in
            let caller = try context.caller()
            try caller.require(.admin)
            let id = try context.uuid("token_id", "token")
            trail.note(target: "token/\(id.lowercased)", brandID: nil)
            guard id != caller.tokenID else {
                throw APIError(
                    .conflict, code: "conflict", "a token cannot revoke itself; revoke it with another admin token")
            }
            return JSONResponse(APIRepresentation.token(try await client.revokeToken(id: id))).response()
        }
        routes.get("/audit") { request, context in
            try context.caller().require(.admin)
            let query = RequestQuery(request)
            let page = try await client.auditLog(
                AuditQuery(brandID: try query.uuid("brand_id"), limit: try query.limit(), cursor: try query.cursor()))
            return JSONResponse(APIRepresentation.auditLog(page)).response()
        }
    }
}
