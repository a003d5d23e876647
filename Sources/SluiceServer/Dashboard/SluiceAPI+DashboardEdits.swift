import Foundation
import Hummingbird
import SluiceAdIntelModel
import SluiceCore
import SluiceEngine
import SluiceStore

extension SluiceAPI {
    /// Editing a brand's name and a competitor's name, page id and Ad Library URL, with errors by field.
    func registerDashboardEditRoutes(_ pages: RouteTable) {
        pages.get("/brands/{brand_id}/edit") { _, context in
            let brand = try await visibleBrand(context, needs: .operator)
            return try brandEditPage(brand, values: ["name": brand.name], errors: [:], context)
        }
        pages.post("/brands/{brand_id}/edit", audit: "brand.update") { request, context, trail in
            let form = try await context.checkedForm(request)
            let brand = try await visibleBrand(context, needs: .operator, trail: trail)
            do {
                _ = try await client.renameBrand(id: brand.id, name: form.fields["name"] ?? "")
                return HTMLResponse.redirect(to: "/brands/\(brand.id.lowercased)")
            } catch let error as SluiceError where error.code == .invalidArgument {
                return try brandEditPage(
                    brand, values: form.fields, errors: [error.field ?? "name": error.message], context,
                    status: .unprocessableContent)
            }
        }
        pages.get("/competitors/{competitor_id}/edit") { _, context in
            let competitor = try await visibleCompetitor(context, needs: .operator)
            let values = [
                "name": competitor.name, "page_id": competitor.pageID ?? "",
                "ad_library_url": competitor.adLibraryURL ?? "",
            ]
            return try competitorEditPage(competitor, values: values, errors: [:], context)
        }
        pages.post("/competitors/{competitor_id}/edit", audit: "competitor.update") { request, context, trail in
            let form = try await context.checkedForm(request)
            let competitor = try await visibleCompetitor(context, needs: .operator, trail: trail)
            do {
                _ = try await adIntel.updateCompetitor(
                    id: competitor.id, name: form.fields["name"] ?? "", pageID: form.optional("page_id"),
                    adLibraryURL: form.optional("ad_library_url"))
                return HTMLResponse.redirect(to: "/brands/\(competitor.brandID.lowercased)")
            } catch let error as SluiceError where error.code == .invalidArgument {
                return try competitorEditPage(
                    competitor, values: form.fields, errors: [error.field ?? "name": error.message], context,
                    status: .unprocessableContent)
            }
        }
    }

    private func brandEditPage(
        _ brand: Brand, values: [String: String], errors: [String: String], _ context: APIRequestContext,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        try DashboardPage.render(
            "edit", title: "Edit \(brand.name)",
            [
                "action": "/brands/\(brand.id.lowercased)/edit", "back": "/brands/\(brand.id.lowercased)",
                "fields": [Self.editField("name", "Name", values: values, errors: errors)],
            ], context, status: status)
    }

    private func competitorEditPage(
        _ competitor: Competitor, values: [String: String], errors: [String: String], _ context: APIRequestContext,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        try DashboardPage.render(
            "edit", title: "Edit \(competitor.name)",
            [
                "action": "/competitors/\(competitor.id.lowercased)/edit",
                "back": "/brands/\(competitor.brandID.lowercased)",
                "fields": [
                    Self.editField("name", "Name", values: values, errors: errors),
                    Self.editField("page_id", "Page id (optional)", values: values, errors: errors),
                    Self.editField(
                        "ad_library_url", "Ad Library URL (optional)", values: values, errors: errors, type: "url"),
                ],
            ], context, status: status)
    }

    private static func editField(
        _ name: String, _ label: String, values: [String: String], errors: [String: String], type: String = "text"
    ) -> [String: Any] {
        var field: [String: Any] = ["name": name, "label": label, "value": values[name] ?? "", "type": type]
        field["error"] = errors[name]
        return field
    }
}
