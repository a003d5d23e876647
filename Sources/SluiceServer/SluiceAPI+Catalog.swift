import Foundation
import Hummingbird
import SluiceCore
import SluiceEngine
import SluiceStore

extension SluiceAPI {
    /// Job types, datasets, dataset freshness and refresh history.
    func registerCatalogRoutes(_ routes: RouteTable) {
        let client = client
        routes.get("/job-types") { _, context in
            _ = try context.caller()
            return JSONResponse(APIRepresentation.jobTypes(client.registry.all)).response()
        }
        routes.get("/job-types/{name}") { _, context in
            _ = try context.caller()
            let name = context.parameters.get("name") ?? ""
            guard let type = client.registry[name] else { throw APIError.notFound("job type \(name.prefix(64))") }
            return JSONResponse(APIRepresentation.jobType(type)).response()
        }
        routes.get("/datasets") { _, context in
            _ = try context.caller()
            return JSONResponse(APIRepresentation.datasets(client.datasets.all)).response()
        }
        routes.get("/freshness") { request, context in
            let brand = try context.caller().listBrand(try RequestQuery(request).uuid("brand_id"))
            let entries: [DatasetFreshness]
            if let brand {
                entries = try await client.freshness(brandID: brand)
            } else {
                entries = try await client.freshness()
            }
            return JSONResponse(APIRepresentation.freshnessList(entries)).response()
        }
        routes.get("/brands/{brand_id}/datasets/{dataset}/history") { request, context in
            let brandID = try await visibleBrand(context).id
            let query = RequestQuery(request)
            let limit = try query.limit()
            let entries = try await client.datasetHistory(
                DatasetHistoryQuery(
                    brandID: brandID, dataset: context.parameters.get("dataset") ?? "",
                    before: try query.int("before", in: 1...Int64.max), limit: limit))
            let nextBefore = entries.count == limit ? entries.last?.id : nil
            return JSONResponse(APIRepresentation.historyPage(HistoryPage(entries: entries, nextBefore: nextBefore)))
                .response()
        }
    }
}
