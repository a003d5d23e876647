import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SluiceAdIntel
import SluiceAdIntelModel
import SluiceCore
import SluiceEngine
import SluiceServer
import SluiceStore
import SluiceTestSupport
import Testing

/// What the API tests share: a fresh database with two brands, one token per role (and brand-scoped ones for
/// brand A), and the API over it.
struct ServerFixture: Sendable {
    static let registry = try! AdIntelCatalog.registry()
    static let datasets = try! AdIntelCatalog.datasets(registry)
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static let rivalURL =
        "https://www.facebook.com/ads/library/?active_status=all&ad_type=all&country=US"
        + "&media_type=all&search_type=page&view_all_page_id=123456"

    let store: any JobAndAdStore
    /// Every store: more than one stands for several nodes on one database.
    let stores: [any JobAndAdStore]
    let client: SluiceClient
    let adIntel: AdIntelClient
    let api: SluiceAPI
    let feed: ActivityFeed
    let brandA: Brand
    let brandB: Brand
    /// Token secrets by name: admin, operator, viewer, scoped_operator, scoped_viewer (the scoped ones see brand A).
    let tokens: [String: String]

    static func with(
        _ backend: TestBackend = .sqlite, stores: Int = 1,
        directWorker: (@Sendable (any JobAndAdStore) throws -> Worker)? = nil,
        idleTimeout: Duration = .seconds(30), bodyTimeout: Duration = .seconds(30), assetDirectory: URL? = nil,
        _ body: @Sendable (ServerFixture) async throws -> Void
    ) async throws {
        try await backend.withDatabase(stores: stores, configuration: StoreConfiguration(registry: registry)) {
            database in
            let store = database.stores[0]
            let client = SluiceClient(
                store: store, registry: registry, datasets: datasets,
                admissions: AdIntelCatalog.admissions(store: store))
            let adIntel = AdIntelClient(store: store)
            let brandA = try await client.createBrand(name: "Beans & Co")
            let brandB = try await client.createBrand(name: "Other Brand")
            var tokens: [String: String] = [:]
            for (name, role, brand) in [
                ("admin", AccessRole.admin, nil), ("operator", .operator, nil), ("viewer", .viewer, nil),
                ("scoped_operator", .operator, brandA.id), ("scoped_viewer", .viewer, brandA.id),
            ] as [(String, AccessRole, UUID?)] {
                let (secret, hash) = AccessTokens.generate()
                _ = try await client.createToken(NewAPIToken(name: name, role: role, brandID: brand, secretHash: hash))
                tokens[name] = secret
            }
            let feed = ActivityFeed(client: client, interval: .milliseconds(50), logger: quiet)
            let api = SluiceAPI(
                client: client, adIntel: adIntel, feed: feed, metrics: ServerMetrics(),
                configuration: SluiceServerConfiguration(
                    port: 0, maxBodyBytes: 64 * 1024, directWorker: try directWorker?(store),
                    assetDirectory: assetDirectory, idleTimeout: idleTimeout, bodyTimeout: bodyTimeout))
            try await body(
                ServerFixture(
                    store: store, stores: database.stores, client: client, adIntel: adIntel, api: api, feed: feed,
                    brandA: brandA,
                    brandB: brandB,
                    tokens: tokens))
        }
    }

    /// A new competitor of `brand`, on page 123456 of the fake Ad Library.
    func rival(of brand: Brand) async throws -> UUID {
        try await adIntel.createCompetitor(
            CompetitorRequest(
                brandID: brand.id, name: "Rival \(UUID().uuidString.prefix(4))", pageID: "123456",
                adLibraryURL: Self.rivalURL)
        ).id
    }

    /// Runs `body` with a client of the router (no sockets).
    func withRouter(_ body: @Sendable (APICaller) async throws -> Void) async throws {
        let app = Application(router: api.router().router, logger: Self.quiet)
        try await app.test(.router) { client in try await body(APICaller(client: client, tokens: tokens)) }
    }
}

/// A JSON response: its status and parsed body.
struct APIResponse: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let text: String

    var json: JSONObject {
        guard case .object(let object) = try? JSONValue(parsing: text) else { return [:] }
        return object
    }

    /// The error code of an error body.
    var errorCode: String? { json["error"]?.objectValue?["code"]?.stringValue }
    /// The field an error body names.
    var errorField: String? { json["error"]?.objectValue?["field"]?.stringValue }
    /// The `items` of a list body.
    var items: [JSONObject] { json["items"]?.arrayValue?.compactMap(\.objectValue) ?? [] }
}

/// Calls the API as one of the fixture's tokens.
struct APICaller: Sendable {
    let client: any TestClientProtocol
    let tokens: [String: String]

    func call(
        _ method: HTTPRequest.Method, _ path: String, as token: String? = "admin", json: JSONObject? = nil,
        raw: String? = nil, bytes: [UInt8]? = nil, secret: String? = nil
    ) async throws -> APIResponse {
        var headers: HTTPFields = [:]
        if let secret = secret ?? token.flatMap({ tokens[$0] }) { headers[.authorization] = "Bearer \(secret)" }
        let text = raw ?? json.map { JSONValue.object($0).jsonText }
        if text != nil || bytes != nil { headers[.contentType] = "application/json" }
        let body = bytes.map { ByteBuffer(bytes: $0) } ?? text.map { ByteBuffer(string: $0) }
        return try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            APIResponse(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
    }
}

extension JSONValue {
    var objectValue: JSONObject? { if case .object(let value) = self { value } else { nil } }
    var arrayValue: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    var stringValue: String? { if case .string(let value) = self { value } else { nil } }
    var intValue: Int64? { if case .int(let value) = self { value } else { nil } }
}

extension UUID {
    var lower: String { uuidString.lowercased() }
}
