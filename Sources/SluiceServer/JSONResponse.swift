import Foundation
import Hummingbird
import SluiceCore

/// A JSON response from a ``JSONValue``, serialised by Sluice's own writer (stable key order).
struct JSONResponse: ResponseGenerator {
    let status: HTTPResponse.Status
    let body: JSONValue

    init(status: HTTPResponse.Status = .ok, _ body: JSONObject) {
        self.status = status
        self.body = .object(body)
    }

    func response() -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: body.jsonText)))
    }

    func response(from request: Request, context: some RequestContext) throws -> Response { response() }
}
