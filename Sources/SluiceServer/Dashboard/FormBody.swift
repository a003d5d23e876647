import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body, as HTML forms send it: read within a size cap and decoded by
/// Hummingbird's `URLEncodedFormDecoder`, with its errors as 400 answers.
struct FormBody {
    /// Each field's text.
    let fields: [String: String]
    /// Each field's values, in order: a list's (`name[]=…`, checkbox lists), or a field's one text.
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

    /// Decodes `name=value&…` with Hummingbird's `URLEncodedFormDecoder`; a list is sent as `name[]=a&name[]=b`.
    ///
    /// - Throws: 400 for malformed percent-encoding or a name given twice without `[]`.
    init(parsing text: String) throws {
        let decoded: [String: FormValue]
        do {
            decoded = try URLEncodedFormDecoder().decode([String: FormValue].self, from: text)
        } catch {
            throw APIError(.badRequest, code: "malformed_form", "the form is not valid url-encoded text: \(error)")
        }
        var fields: [String: String] = [:]
        var values: [String: [String]] = [:]
        for (name, value) in decoded {
            switch value {
            case .text(let text):
                fields[name] = text
                values[name] = [text]
            case .list(let list):
                values[name] = list
            }
        }
        self.fields = fields
        self.values = values
    }

    /// One field's value: text, or a list (`name[]=…`).
    private enum FormValue: Decodable {
        case text(String)
        case list([String])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else {
                self = .list(try container.decode([String].self))
            }
        }
    }
}
