import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body, as HTML forms send it.
struct FormBody {
    /// Each name's first value.
    let fields: [String: String]
    /// Every value of each name, in order (checkbox lists).
    let values: [String: [String]]

    /// Reads up to 64 KiB.
    ///
    /// - Throws: 413 beyond that, 400 for malformed percent-encoding.
    static func read(_ request: Request) async throws -> FormBody {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: 64 * 1024)
        } catch {
            throw APIError(.contentTooLarge, code: "body_too_large", "the form is larger than 64 KiB")
        }
        return try FormBody(parsing: String(buffer: buffer))
    }

    /// The trimmed value of `name`, nil when absent or blank (an optional input left empty).
    func optional(_ name: String) -> String? {
        (fields[name]?.trimmingCharacters(in: .whitespaces)).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Parses `name=value&…`; in ``fields`` the first of repeated names wins.
    init(parsing text: String) throws {
        var fields: [String: String] = [:]
        var values: [String: [String]] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : "") else {
                throw APIError(.badRequest, code: "malformed_form", "the form is not valid url-encoded text")
            }
            if fields[name] == nil { fields[name] = value }
            values[name, default: []].append(value)
        }
        self.fields = fields
        self.values = values
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
