import Hummingbird
import SluiceCore

/// A request body's members, declared once: the server reads the body with it (refusing members it does not
/// list) and the OpenAPI document takes the body's schema from it.
struct RequestShape: APIComponent {
    /// The body's component name in the OpenAPI document, such as `BrandRequest`.
    let component: String
    /// The body's JSON Schema: its members, which are required, no others, and `rules` across members.
    let schema: JSONValue
    private let names: Set<String>

    /// A body named `component` holding `members`, with JSON Schema `rules` that relate members to each other.
    init<each Value>(_ component: String, _ members: repeat RequestMember<each Value>, rules: JSONObject = [:]) {
        var properties: JSONObject = [:]
        var required: [String] = []
        for member in repeat each members {
            properties[member.name] = member.schema
            if member.required { required.append(member.name) }
        }
        self.component = component
        self.names = Set(properties.keys)
        self.schema = .object(
            rules.merging([
                "type": "object", "required": .array(required.map(JSONValue.string)),
                "additionalProperties": false, "properties": .object(properties),
            ]) { $1 })
    }

    /// Reads a request's body and refuses a member the shape does not list.
    ///
    /// - Throws: ``APIError``: 413 past `limit` bytes, 400 for a body that is not a JSON object, 422 naming the
    ///   first unknown member.
    func read(_ request: Request, limit: Int) async throws -> RequestBody {
        let body = try await RequestBody.read(request, limit: limit)
        if let unknown = body.object.keys.sorted().first(where: { !names.contains($0) }) {
            throw APIError.invalid(
                unknown, "is not a known member; expected one of \(names.sorted().joined(separator: ", "))")
        }
        return body
    }
}
