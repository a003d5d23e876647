import Foundation
import SluiceCore
import Testing

@testable import SluiceServer

@Suite("The OpenAPI document matches the routes")
struct OpenAPIDocumentTests {
    @Test("every registered route is documented, and every documented route is registered")
    func routesAndDocumentAgree() async throws {
        try await ServerFixture.with { fixture in
            let registered = Set(fixture.api.router().routes)
            let documented = Set(OpenAPIDocument.routeKeys)
            #expect(registered.subtracting(documented).sorted() == [], "registered but not documented")
            #expect(documented.subtracting(registered).sorted() == [], "documented but not registered")
            #expect(registered.count >= 35)
        }
    }

    @Test("every $ref resolves, every path parameter is declared, and every protected operation documents 401")
    func documentIsConsistent() throws {
        guard case .object(let document) = OpenAPIDocument.json,
            case .object(let components) = document["components"],
            case .object(let schemas) = components["schemas"], case .object(let paths) = document["paths"]
        else {
            Issue.record("the document has no components or paths")
            return
        }
        var references: [String] = []
        collectReferences(OpenAPIDocument.json, into: &references)
        for reference in Set(references) {
            let name = reference.replacingOccurrences(of: "#/components/schemas/", with: "")
            #expect(schemas[name] != nil, "unresolved \(reference)")
        }
        for (path, item) in paths {
            let placeholders = path.split(separator: "/").filter { $0.hasPrefix("{") }.map {
                String($0.dropFirst().dropLast())
            }
            guard case .object(let operations) = item else { continue }
            for (method, operation) in operations {
                guard case .object(let operation) = operation, case .object(let responses) = operation["responses"]
                else {
                    Issue.record("\(method) \(path) has no responses")
                    continue
                }
                let declared = (operation["parameters"]?.arrayValue ?? []).compactMap { parameter -> String? in
                    guard parameter.objectValue?["in"] == .string("path") else { return nil }
                    return parameter.objectValue?["name"]?.stringValue
                }
                #expect(Set(declared) == Set(placeholders), "\(method) \(path) path parameters")
                let open = operation["security"] == .array([])
                #expect(open || responses["401"] != nil, "\(method) \(path) does not document 401")
            }
        }
    }

    @Test("the document is served without a token")
    func servedOpenly() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.withRouter { api in
                let response = try await api.call(.get, "/api/v1/openapi.json", as: nil)
                #expect(response.status == .ok && response.json["openapi"] == .string("3.1.0"))
            }
        }
    }

    private func collectReferences(_ value: JSONValue, into references: inout [String]) {
        switch value {
        case .object(let object):
            for (key, member) in object {
                if key == "$ref", case .string(let reference) = member { references.append(reference) }
                collectReferences(member, into: &references)
            }
        case .array(let array):
            for member in array { collectReferences(member, into: &references) }
        default: break
        }
    }
}
