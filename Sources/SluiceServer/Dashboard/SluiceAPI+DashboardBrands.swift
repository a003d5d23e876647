import Foundation
import Hummingbird
import SluiceAdIntelModel
import SluiceCore
import SluiceEngine
import SluiceStore

extension SluiceAPI {
    /// The brands and competitors pages: list, create, and delete after a confirmation page.
    func registerDashboardBrandRoutes(_ pages: RouteTable) {
        pages.get("/brands") { _, context in
            try await brandsPage(context, error: nil)
        }
        pages.post("/brands", audit: "brand.create") { request, context, trail in
            let form = try await context.checkedForm(request)
            let caller = try context.caller()
            try caller.require(.operator)
            try caller.requireUnscoped()
            do {
                let brand = try await client.createBrand(name: form.fields["name"] ?? "")
                trail.note(target: "brand/\(brand.id.lowercased)", brandID: brand.id)
                return HTMLResponse.redirect(to: "/brands/\(brand.id.lowercased)")
            } catch let error as SluiceError where error.code == .invalidArgument {
                return try await brandsPage(
                    context, error: "Brand name: \(error.message).", status: .unprocessableContent)
            }
        }
        pages.get("/brands/{brand_id}") { _, context in
            try await brandPage(try await visibleBrand(context), context, error: nil)
        }
        pages.get("/brands/{brand_id}/delete") { _, context in
            let brand = try await visibleBrand(context, needs: .operator)
            let competitors = try await adIntel.competitors(brandID: brand.id)
            return try DashboardPage.render(
                "confirm", title: "Delete \(brand.name)",
                [
                    "question":
                        "Delete the brand \(brand.name) with its \(competitors.count) competitors and their ads, all its jobs, runs and logs, its dataset records, webhooks and brand-scoped API tokens?",
                    "action": "/brands/\(brand.id.lowercased)/delete", "back": "/brands/\(brand.id.lowercased)",
                ], context)
        }
        pages.post("/brands/{brand_id}/delete", audit: "brand.delete") { request, context, trail in
            _ = try await context.checkedForm(request)
            try context.caller().requireUnscoped()
            let brand = try await visibleBrand(context, needs: .operator, trail: trail)
            try await client.deleteBrand(id: brand.id)
            return HTMLResponse.redirect(to: "/brands")
        }
        pages.post("/brands/{brand_id}/competitors", audit: "competitor.create") { request, context, trail in
            let form = try await context.checkedForm(request)
            let brand = try await visibleBrand(context, needs: .operator, trail: trail)
            do {
                let competitor = try await adIntel.createCompetitor(
                    CompetitorRequest(
                        brandID: brand.id, name: form.fields["name"] ?? "", pageID: form.optional("page_id"),
                        adLibraryURL: form.optional("ad_library_url")))
                trail.note(target: "competitor/\(competitor.id.lowercased)", brandID: brand.id)
                return HTMLResponse.redirect(to: "/brands/\(brand.id.lowercased)")
            } catch let error as SluiceError where error.code == .invalidArgument {
                let label = (error.field ?? "competitor").replacingOccurrences(of: "_", with: " ")
                return try await brandPage(
                    brand, context, error: "\(label.capitalized): \(error.message).", status: .unprocessableContent)
            }
        }
        pages.get("/competitors/{competitor_id}/delete") { _, context in
            let competitor = try await visibleCompetitor(context, needs: .operator)
            let brand = competitor.brandID.lowercased
            return try DashboardPage.render(
                "confirm", title: "Delete \(competitor.name)",
                [
                    "question": "Delete the competitor \(competitor.name) and its scraped ads?",
                    "action": "/competitors/\(competitor.id.lowercased)/delete", "back": "/brands/\(brand)",
                ], context)
        }
        pages.post("/competitors/{competitor_id}/delete", audit: "competitor.delete") { request, context, trail in
            _ = try await context.checkedForm(request)
            let competitor = try await visibleCompetitor(context, needs: .operator, trail: trail)
            try await adIntel.deleteCompetitor(id: competitor.id)
            return HTMLResponse.redirect(to: "/brands/\(competitor.brandID.lowercased)")
        }
    }

    private func brandsPage(
        _ context: APIRequestContext, error: String?, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let caller = try context.caller()
        let brands = try await client.brands().filter { caller.brandID == nil || $0.id == caller.brandID }
        var page: [String: Any] = [
            "brands": brands.map { ["id": $0.id.lowercased, "name": $0.name] }, "hasBrands": !brands.isEmpty,
            "canCreate": caller.role >= .operator && caller.brandID == nil,
        ]
        page["error"] = error
        return try DashboardPage.render("brands", title: "Brands", page, context, status: status)
    }

    private func brandPage(
        _ brand: Brand, _ context: APIRequestContext, error: String?, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let caller = try context.caller()
        let competitors = try await adIntel.competitors(brandID: brand.id)
        var page: [String: Any] = [
            "brand": ["id": brand.id.lowercased, "name": brand.name],
            "competitors": competitors.map { competitor in
                [
                    "id": competitor.id.lowercased, "name": competitor.name, "pageID": competitor.pageID ?? "—",
                    "url": competitor.adLibraryURL ?? "",
                ]
            },
            "hasCompetitors": !competitors.isEmpty, "canEdit": caller.role >= .operator,
            "canDelete": caller.role >= .operator && caller.brandID == nil,
        ]
        page["error"] = error
        return try DashboardPage.render("brand", title: brand.name, page, context, status: status)
    }
}
