import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension FakeMetaServer {
    static let allowedFields: Set<String> = [
        "id", "page_id", "page_name", "ad_creation_time", "ad_delivery_start_time", "ad_delivery_stop_time",
        "ad_creative_bodies", "ad_creative_link_titles", "ad_snapshot_url", "publisher_platforms", "languages",
    ]

    func adsArchive(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        record(request)
        let query = Dictionary(
            request.uri.queryParameters.map { (String($0.key), String($0.value)) },
            uniquingKeysWith: { _, last in last })
        let version = context.parameters.get("version") ?? ""
        guard version.range(of: #"^v\d+\.\d+$"#, options: .regularExpression) != nil else {
            return Self.error(status: .badRequest, code: 2500, message: "Unknown path components: /\(version)")
        }
        let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let token = query["access_token"] ?? bearer else {
            return Self.error(status: .badRequest, code: 190, message: "An active access token must be used.")
        }
        guard validTokens.contains(token) else {
            return Self.error(
                status: .badRequest, code: 190, subcode: 463,
                message: "Error validating access token: Session has expired")
        }
        let fault = nextFault()
        switch fault {
        case .throttle(let code)?:
            var response = Self.error(
                status: .badRequest, code: code, message: "(#\(code)) Calls to this api have exceeded the rate limit.",
                transient: true)
            response.headers[HTTPField.Name("X-Business-Use-Case-Usage")!] =
                #"{"1":[{"type":"ads_archive","call_count":100,"total_cputime":40,"total_time":52,"estimated_time_to_regain_access":0}]}"#
            return response
        case .serverError?:
            return Self.error(
                status: .internalServerError, code: 2, message: "Service temporarily unavailable", transient: true)
        case .truncatedJSON?:
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"data":[{"id":"1","page_na"#)))
        case .emptyPageWithCursor?, .repeatedAdAcrossPages?, nil:
            break
        }
        return try page(
            query: query, base: "http://\(request.head.authority ?? "127.0.0.1")/\(version)", fault: fault)
    }

    private func page(query: [String: String], base: String, fault: Fault?) throws -> Response {
        guard let countries = Self.list(query["ad_reached_countries"]), !countries.isEmpty else {
            return Self.error(
                status: .badRequest, code: 100,
                message: "(#100) The parameter ad_reached_countries is required")
        }
        let fields = (query["fields"] ?? "id").split(separator: ",").map(String.init)
        if let unknown = fields.first(where: { !Self.allowedFields.contains($0) }) {
            return Self.error(
                status: .badRequest, code: 100,
                message: "(#100) Tried accessing nonexisting field (\(unknown)) on node type (ArchivedAd)")
        }
        let pageIDs = Self.list(query["search_page_ids"]) ?? []
        guard pageIDs.count <= 10 else {
            return Self.error(status: .badRequest, code: 100, message: "(#100) search_page_ids allows at most 10 ids")
        }
        if let terms = query["search_terms"], terms.count > 100 {
            return Self.error(status: .badRequest, code: 100, message: "(#100) search_terms is longer than 100")
        }
        let status = (query["ad_active_status"] ?? "ACTIVE").uppercased()
        guard ["ACTIVE", "INACTIVE", "ALL"].contains(status) else {
            return Self.error(status: .badRequest, code: 100, message: "(#100) Invalid ad_active_status")
        }
        let limit = min(500, max(1, Int(query["limit"] ?? "25") ?? 25))
        let media = (query["media_type"] ?? "ALL").uppercased()
        guard ["ALL", "IMAGE", "MEME", "VIDEO", "NONE"].contains(media) else {
            return Self.error(status: .badRequest, code: 100, message: "(#100) Invalid media_type")
        }
        let platforms = Set(Self.list(query["publisher_platforms"]) ?? [])
        let languages = Set((Self.list(query["languages"]) ?? []).map { $0.lowercased() })
        let earliest = query["ad_delivery_date_min"]
        let latest = query["ad_delivery_date_max"]
        let matches = corpus.ads.filter { ad in
            (pageIDs.isEmpty || pageIDs.contains(ad.pageID))
                && (countries.contains("ALL") || !Set(countries).isDisjoint(with: ad.countries))
                && (status == "ALL" || (status == "ACTIVE") == (ad.stopDate == nil))
                && Self.matches(terms: query["search_terms"], exact: query["search_type"] == "KEYWORD_EXACT_PHRASE", ad)
                && (media == "ALL" || media == ad.mediaType)
                && (platforms.isEmpty || !platforms.isDisjoint(with: ad.platforms.map { $0.uppercased() }))
                && (languages.isEmpty || !languages.isDisjoint(with: ad.languages))
                // Delivery overlaps [min, max], inclusive (dates compare as YYYY-MM-DD text).
                && (earliest.map { (ad.stopDate ?? "9999-12-31") >= $0 } ?? true)
                && (latest.map { ad.startDate <= $0 } ?? true)
        }
        let signature = Self.signature(query)
        var offset = 0
        if let after = query["after"] {
            guard let decoded = Data(base64Encoded: after).map({ String(decoding: $0, as: UTF8.self) }),
                let separator = decoded.firstIndex(of: ":"), decoded[decoded.index(after: separator)...] == signature,
                let value = Int(decoded[..<separator])
            else {
                return Self.error(status: .badRequest, code: 100, message: "(#100) Invalid cursor")
            }
            offset = value
        }
        var slice = fault == .emptyPageWithCursor ? [] : Array(matches.dropFirst(offset).prefix(limit))
        let end = offset + slice.count
        if fault == .repeatedAdAcrossPages, offset > 0 { slice.insert(matches[offset - 1], at: 0) }
        let body: [String: Any] = ["data": slice.map { Self.project($0, fields: fields, base: base) }]
        let paging = paging(
            query, base: base, signature: signature, from: offset, to: end, of: matches.count,
            always: fault == .emptyPageWithCursor)
        return try Self.json(body, paging: paging)
    }

    /// The `paging` member: cursors around the page, and `next` while results remain (or `always`).
    private func paging(
        _ query: [String: String], base: String, signature: String, from offset: Int, to end: Int, of total: Int,
        always: Bool
    ) -> [String: Any]? {
        guard end > offset || always else { return nil }
        let before = Data("\(offset):\(signature)".utf8).base64EncodedString()
        let after = Data("\(end):\(signature)".utf8).base64EncodedString()
        var paging: [String: Any] = ["cursors": ["before": before, "after": after]]
        if end < total {
            var next = URLComponents(string: "\(base)/ads_archive")!
            next.queryItems =
                query.filter { $0.key != "after" }.sorted { $0.key < $1.key }.map {
                    URLQueryItem(name: $0.key, value: $0.value)
                } + [URLQueryItem(name: "after", value: after)]
            paging["next"] = next.string
        }
        return paging
    }

    /// A results document as the API sends it.
    private static func json(_ body: [String: Any], paging: [String: Any]?) throws -> Response {
        var body = body
        if let paging { body["paging"] = paging }
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/json; charset=UTF-8",
                HTTPField.Name("X-App-Usage")!: #"{"call_count":3,"total_time":2,"total_cputime":1}"#,
            ], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static func project(_ ad: AdCorpus.Ad, fields: [String], base: String) -> [String: Any] {
        var object: [String: Any] = ["id": ad.id]
        for field in fields {
            switch field {
            case "page_id": object[field] = ad.pageID
            case "page_name": object[field] = ad.pageName
            case "ad_creation_time", "ad_delivery_start_time": object[field] = ad.startDate
            case "ad_delivery_stop_time": if let stop = ad.stopDate { object[field] = stop }
            case "ad_creative_bodies": object[field] = ad.bodies
            case "ad_creative_link_titles": object[field] = ad.titles
            case "publisher_platforms": object[field] = ad.platforms
            case "languages": object[field] = ad.languages
            case "ad_snapshot_url":
                // Like the real API, the snapshot URL embeds the caller's token; clients must not store it.
                object[field] =
                    "\(base.replacingOccurrences(of: "/v", with: "/render/v"))?id=\(ad.id)&access_token=TOKEN"
            default: break
            }
        }
        return object
    }

    private static func matches(terms: String?, exact: Bool, _ ad: AdCorpus.Ad) -> Bool {
        guard let terms, !terms.isEmpty else { return true }
        let text = (ad.bodies + ad.titles).joined(separator: " ").lowercased()
        if exact { return text.contains(terms.lowercased()) }
        return terms.lowercased().split(separator: " ").allSatisfy { text.contains($0) }
    }

    /// Lists arrive as `["US","DE"]`, `['US']` or `US`.
    private static func list(_ text: String?) -> [String]? {
        guard let text else { return nil }
        let trimmed = text.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
        return trimmed.split(separator: ",").map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"' ")).uppercased()
        }.filter { !$0.isEmpty }
    }

    /// Cursors are bound to the query that made them.
    private static func signature(_ query: [String: String]) -> String {
        let relevant = query.filter { !["after", "access_token", "limit", "fields"].contains($0.key) }
        return String(
            relevant.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&").hashValue)
    }

    static func error(
        status: HTTPResponse.Status, code: Int, subcode: Int? = nil, message: String, transient: Bool = false
    ) -> Response {
        var error: [String: Any] = [
            "message": message, "type": "OAuthException", "code": code,
            "is_transient": transient, "fbtrace_id": "A\(UInt64.random(in: 1...UInt64.max))",
        ]
        if let subcode { error["error_subcode"] = subcode }
        let data = (try? JSONSerialization.data(withJSONObject: ["error": error], options: [.sortedKeys])) ?? Data()
        return Response(
            status: status, headers: [.contentType: "application/json; charset=UTF-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
