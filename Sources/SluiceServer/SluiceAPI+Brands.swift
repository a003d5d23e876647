import Foundation
import Hummingbird
import SluiceAdIntelModel
import SluiceCore
import SluiceEngine
import SluiceStore

extension SluiceAPI {
    /// Brands, their competitors, and the competitors' scraped ads.
    func registerBrandRoutes(_ routes: RouteTable) {
        routes.get("/brands") { _, context in
            let caller = try context.caller()
            let brands = try await client.brands().filter { caller.brandID == nil || $0.id == caller.brandID }
            return JSONResponse(APIRepresentation.brands(brands)).response()
        }
        routes.post("/brands", audit: "brand.create") { request, context, trail in
            let caller = try context.caller()
            try caller.require(.operator)
            try caller.requireUnscoped()
            let body = try await BrandBody.shape.read(request, limit: configuration.maxBodyBytes)
            let brand = try await client.createBrand(name: try body[BrandBody.name])
            trail.note(target: "brand/\(brand.id.lowercased)", brandID: brand.id)
            return JSONResponse(status: .created, APIRepresentation.brand(brand)).response()
        }
        routes.get("/brands/{brand_id}") { _, context in
            JSONResponse(APIRepresentation.brand(try await visibleBrand(context))).response()
        }
        routes.delete("/brands/{brand_id}", audit: "brand.delete") { _, context, trail in
            try context.caller().requireUnscoped()
            let brand = try await visibleBrand(context, needs: .operator, trail: trail)
            try await client.deleteBrand(id: brand.id)
            return Response(status: .noContent)
        }
        routes.get("/brands/{brand_id}/competitors") { _, context in
            let brand = try await visibleBrand(context)
            let competitors = try await adIntel.competitors(brandID: brand.id)
            return JSONResponse(APIRepresentation.competitors(competitors)).response()
        }
        routes.post("/brands/{brand_id}/competitors", audit: "competitor.create") { request, context, trail in
            let brand = try await visibleBrand(context, needs: .operator, trail: trail)
            let body = try await CompetitorBody.shape.read(request, limit: configuration.maxBodyBytes)
            let competitor = try await adIntel.createCompetitor(
                CompetitorRequest(
                    brandID: brand.id, name: try body[CompetitorBody.name], pageID: try body[CompetitorBody.pageID],
                    adLibraryURL: try body[CompetitorBody.adLibraryURL]))
            trail.note(target: "competitor/\(competitor.id.lowercased)", brandID: brand.id)
            return JSONResponse(status: .created, APIRepresentation.competitor(competitor)).response()
        }
        routes.get("/competitors/{competitor_id}") { _, context in
            JSONResponse(APIRepresentation.competitor(try await visibleCompetitor(context))).response()
        }
        routes.delete("/competitors/{competitor_id}", audit: "competitor.delete") { _, context, trail in
            let competitor = try await visibleCompetitor(context, needs: .operator, trail: trail)
            try await adIntel.deleteCompetitor(id: competitor.id)
            return Response(status: .noContent)
        }
        routes.get("/competitors/{competitor_id}/ads") { request, context in
            let competitor = try await visibleCompetitor(context)
            let query = RequestQuery(request)
            let page = try await adIntel.competitorAds(
                CompetitorAdQuery(
                    brandID: competitor.brandID, competitorID: competitor.id, limit: try query.limit(),
                    cursor: try query.cursor()))
            return JSONResponse(APIRepresentation.competitorAds(page)).response()
        }
    }

    /// The brand of the path's `brand_id`, if the caller may see it (404 otherwise) and has `role`.
    func visibleBrand(
        _ context: APIRequestContext, needs role: AccessRole = .viewer, trail: AuditTrail? = nil
    ) async throws -> Brand {
        let caller = try context.caller()
        try caller.require(role)
        let id = try context.uuid("brand_id", "brand")
        try caller.checkBrand(id, "brand \(id.lowercased)")
        let brand = try await client.brand(id: id)
        trail?.note(target: "brand/\(id.lowercased)", brandID: id)
        return brand
    }

    func visibleCompetitor(
        _ context: APIRequestContext, needs role: AccessRole = .viewer, trail: AuditTrail? = nil
    ) async throws -> Competitor {
        let caller = try context.caller()
        try caller.require(role)
        let id = try context.uuid("competitor_id", "competitor")
        let competitor = try await adIntel.competitor(id: id)
        try caller.checkBrand(competitor.brandID, "competitor \(id.lowercased)")
        trail?.note(target: "competitor/\(id.lowercased)", brandID: competitor.brandID)
        return competitor
    }
}

extension UUID {
    /// The lowercase textual form the API uses.
    var lowercased: String { uuidString.lowercased() }
}
