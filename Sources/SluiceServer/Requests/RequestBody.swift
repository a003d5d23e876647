import Foundation
import Hummingbird
import SluiceCore

/// A request's JSON object body, read with errors that name the offending field.
struct RequestBody {
    let object: JSONObject

    /// Reads and parses the body.
    ///
    /// - Throws: 413 past `limit` bytes, 400 for a body that is not a JSON object.
    static func read(_ request: Request, limit: Int) async throws -> RequestBody {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, code: "body_too_large", "the body is larger than \(limit) bytes")
        }
        // Invalid UTF-8 is refused, not repaired into U+FFFD: a client's bytes are stored as sent or not at all.
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw APIError.malformed("the body is not valid UTF-8")
        }
        guard !text.isEmpty else { throw APIError.malformed("the body must be a JSON object") }
        guard case .object(let object) = try? JSONValue(parsing: text) else {
            throw APIError.malformed("the body is not a JSON object")
        }
        if let field = StoredText.firstNUL(in: .object(object), at: "") {
            throw APIError.invalid(field, "must not contain the NUL character (U+0000)")
        }
        return RequestBody(object: object)
    }

    /// The value of `member`.
    ///
    /// - Throws: ``APIError`` (422) naming the member when it is missing or malformed.
    subscript<Value>(_ member: RequestMember<Value>) -> Value {
        get throws { try member.read(from: object) }
    }
}

/// A request's query parameters, read with errors that name the offending parameter.
struct RequestQuery {
    let parameters: [String: String]

    /// The query of `request`. Dashboard forms send an empty value for a filter left at "All": with
    /// `ignoringEmpty` those parameters count as absent (the API keeps refusing them).
    init(_ request: Request, ignoringEmpty: Bool = false) {
        var parameters: [String: String] = [:]
        for (name, value) in request.uri.queryParameters where !(ignoringEmpty && value.isEmpty) {
            parameters[String(name)] = String(value)
        }
        self.parameters = parameters
    }

    func string(_ name: String, maxLength: Int = 200) throws -> String? {
        guard let value = parameters[name] else { return nil }
        guard value.unicodeScalars.count <= maxLength else {
            throw APIError.invalid(name, "is longer than \(maxLength) characters")
        }
        guard !value.utf8.contains(0) else {
            throw APIError.invalid(name, "must not contain the NUL character (U+0000)")
        }
        return value
    }

    func uuid(_ name: String) throws -> UUID? {
        guard let text = parameters[name] else { return nil }
        guard let uuid = UUID(uuidString: text) else { throw APIError.invalid(name, "must be a UUID") }
        return uuid
    }

    func int(_ name: String, in range: ClosedRange<Int64>) throws -> Int64? {
        guard let text = parameters[name] else { return nil }
        guard let value = Int64(text), range.contains(value) else {
            throw APIError.invalid(name, "must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// The page size: `limit`, 1 to 1000, default 50.
    func limit(default defaultLimit: Int = 50, maximum: Int = 1000) throws -> Int {
        Int(try int("limit", in: 1...Int64(maximum)) ?? Int64(defaultLimit))
    }

    func cursor() throws -> String? { try string("cursor", maxLength: 20) }

    func oneOf<Value: RawRepresentable<String>>(_ name: String, _ type: Value.Type) throws -> Value?
    where Value: CaseIterable {
        guard let text = parameters[name] else { return nil }
        guard let value = Value(rawValue: text) else {
            let options = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError.invalid(name, "must be one of \(options)")
        }
        return value
    }
}

/// Reading path parameters: an id that does not parse names no object, so it answers 404.
extension APIRequestContext {
    func int64(_ name: String, _ what: String) throws -> Int64 {
        let text = parameters.get(name) ?? ""
        guard let value = Int64(text), value > 0 else { throw APIError.notFound("\(what) \(text.prefix(40))") }
        return value
    }

    func uuid(_ name: String, _ what: String) throws -> UUID {
        let text = parameters.get(name) ?? ""
        guard let value = UUID(uuidString: text) else { throw APIError.notFound("\(what) \(text.prefix(40))") }
        return value
    }
}
