import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The test-control endpoints (the fake binds loopback only), so that tests in other processes and the demo can
/// script faults and read the request log over HTTP:
/// - `POST /__fake/faults` `{"fault": "throttle"|"server_error"|"truncated_json", "count": 1, "code": 613,
///   "after_calls": 0}`
/// - `POST /__fake/expire-cdn`, `POST /__fake/revise` `{"days": 3}`, `POST /__fake/reset`
/// - `POST /__fake/latency` `{"milliseconds": 1500}`: how long each Ad Library page takes
/// - `GET /__fake/requests`: every request, oldest first.
extension FakeMetaServer {
    func addControlRoutes(to router: Router<BasicRequestContext>) {
        router.post("/__fake/faults") { [self] request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 16)
            guard let input = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
                let name = input["fault"] as? String
            else { return Self.controlError("body must be a JSON object with \"fault\"") }
            let fault: Fault
            switch name {
            case "throttle": fault = .throttle(code: (input["code"] as? Int) ?? 613)
            case "server_error": fault = .serverError
            case "truncated_json": fault = .truncatedJSON
            case "empty_page_with_cursor": fault = .emptyPageWithCursor
            case "repeated_ad": fault = .repeatedAdAcrossPages
            default:
                return Self.controlError(
                    "fault must be throttle, server_error, truncated_json, empty_page_with_cursor or repeated_ad")
            }
            fail(next: (input["count"] as? Int) ?? 1, with: fault, afterCalls: (input["after_calls"] as? Int) ?? 0)
            return Response(status: .noContent)
        }
        router.post("/__fake/expire-cdn") { [self] _, _ -> Response in
            expireCDNURLs()
            return Response(status: .noContent)
        }
        router.post("/__fake/revise") { [self] request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 16)
            let input = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
            reviseRecentDays((input?["days"] as? Int) ?? 3)
            return Response(status: .noContent)
        }
        router.post("/__fake/latency") { [self] request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 16)
            let input = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
            guard let milliseconds = input?["milliseconds"] as? Int, (0...600_000).contains(milliseconds) else {
                return Self.controlError("body must be {\"milliseconds\": 0...600000}")
            }
            delayAdsArchive(by: .milliseconds(milliseconds))
            return Response(status: .noContent)
        }
        router.post("/__fake/reset") { [self] _, _ -> Response in
            reset()
            return Response(status: .noContent)
        }
        router.get("/__fake/requests") { [self] _, _ -> Response in
            let entries: [[String: Any]] = requests.map { entry in
                var object: [String: Any] = ["method": entry.method, "path": entry.path, "query": entry.query]
                if let authorization = entry.authorization { object["authorization"] = authorization }
                return object
            }
            let data = try JSONSerialization.data(withJSONObject: entries, options: [.sortedKeys])
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    private static func controlError(_ message: String) -> Response {
        Response(
            status: .badRequest, headers: [.contentType: "text/plain"],
            body: .init(byteBuffer: ByteBuffer(string: message)))
    }
}
