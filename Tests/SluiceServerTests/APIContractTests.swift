import Foundation
import SluiceCore
import Testing

@testable import SluiceServer

@Suite("One declaration per API object: the JSON, the schema and the reader agree")
struct APIContractTests {
    private struct Sample {
        var id: Int64
        var note: String?
        var secret: String?
        var at: Date
    }

    private static let sample = APIObject<Sample>(
        "Sample",
        [APIMember("id", \.id), APIMember("note", \.note), .omittable("secret", \.secret), APIMember("at", \.at)])

    @Test("an optional member is nullable and sent as null; an omittable one is left out and not required")
    func membersFollowTheirTypes() throws {
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        let written = Self.sample(Sample(id: 7, note: nil, secret: nil, at: at))
        #expect(written == ["id": 7, "note": .null, "at": "2027-01-15T08:00:00.000Z"])
        #expect(Self.sample(Sample(id: 7, note: "n", secret: "s", at: at))["secret"] == "s")

        guard case .object(let schema) = Self.sample.schema, case .object(let properties) = schema["properties"] else {
            Issue.record("the schema is not an object schema")
            return
        }
        #expect(schema["required"] == ["at", "id", "note"])
        #expect(properties["id"] == OpenAPISchema.integer)
        guard case .object(let note)? = properties["note"] else {
            Issue.record("note has no schema")
            return
        }
        #expect(note["type"] == ["string", "null"])
        #expect(properties["secret"] == OpenAPISchema.string)
        #expect(properties["at"] == OpenAPISchema.time)
    }

    @Test("every component is derived from a declaration the server writes or reads with")
    func componentsAreDerived() {
        let declared = Set((APIRepresentation.components + OpenAPIDocument.requestComponents).map(\.component))
        #expect(declared.count == APIRepresentation.components.count + OpenAPIDocument.requestComponents.count)
        #expect(Set(OpenAPIDocument.schemas.keys) == declared)
    }

    @Test("a request member is read as its schema says, and an error names it")
    func requestMembersAreRead() throws {
        let body = RequestBody(object: [
            "brand_id": "C9D2C3E1-0E0B-4A43-8E5A-3A5D1E2B7F10", "job_type": "meta_sync", "priority": 5.0,
            "run_at": .null, "timezone": "Europe/Berlin", "cron": "0 6 * * *",
        ])
        let request = try JobBody.jobRequest(body)
        #expect(request.brandID.uuidString == "C9D2C3E1-0E0B-4A43-8E5A-3A5D1E2B7F10")
        #expect(request.priority == 5)
        #expect(request.schedule == .cron("0 6 * * *", timeZone: "Europe/Berlin"))

        let failures: [(JSONObject, String, String)] = [
            (["job_type": "x"], "brand_id", "is required"),
            (["brand_id": "nope", "job_type": "x"], "brand_id", "must be a UUID"),
            (["brand_id": "C9D2C3E1-0E0B-4A43-8E5A-3A5D1E2B7F10", "job_type": 3], "job_type", "must be a string"),
            (
                [
                    "brand_id": "C9D2C3E1-0E0B-4A43-8E5A-3A5D1E2B7F10",
                    "job_type": .string(String(repeating: "a", count: 65)),
                ],
                "job_type", "is longer than 64 characters"
            ),
            (
                ["brand_id": "C9D2C3E1-0E0B-4A43-8E5A-3A5D1E2B7F10", "job_type": "x", "priority": 1.5], "priority",
                "must be an integer in -1000...1000"
            ),
            (
                ["brand_id": "C9D2C3E1-0E0B-4A43-8E5A-3A5D1E2B7F10", "job_type": "x", "timezone": "UTC"], "timezone",
                "is only for a recurring job (cron)"
            ),
        ]
        for (object, field, message) in failures {
            let error = #expect(throws: APIError.self) { try JobBody.jobRequest(RequestBody(object: object)) }
            #expect(error?.field == field && error?.message == message, "\(object)")
        }
    }

    @Test("a request body's schema lists its members, marks the required ones and allows no others")
    func requestSchemaFollowsMembers() {
        guard case .object(let schema) = TokenBody.shape.schema, case .object(let properties) = schema["properties"]
        else {
            Issue.record("the token body's schema is not an object schema")
            return
        }
        #expect(Set(properties.keys) == ["name", "role", "brand_id"])
        #expect(schema["required"] == ["name", "role"])
        #expect(schema["additionalProperties"] == false)
        #expect(properties["role"] == OpenAPISchema.enumeration(["viewer", "operator", "admin"]))
    }
}

@Suite("The document's cron pattern and time zones promise only what the server takes")
struct DocumentedSyntaxTests {
    @Test("every expression the documented cron pattern matches parses")
    func cronPatternParses() throws {
        let pattern = try Regex(CronSyntax.documented)
        var generator = SystemRandomNumberGenerator()
        func item(_ values: ClosedRange<Int>, steps: ClosedRange<Int>) -> String {
            let base = Bool.random(using: &generator) ? "*" : String(Int.random(in: values, using: &generator))
            return Bool.random(using: &generator) ? base : "\(base)/\(Int.random(in: steps, using: &generator))"
        }
        func field(_ values: ClosedRange<Int>, steps: ClosedRange<Int>) -> String {
            (0..<Int.random(in: 1...3, using: &generator)).map { _ in item(values, steps: steps) }
                .joined(separator: ",")
        }
        var expressions = CronSchedule.macros.keys.sorted() + ["28 23 28 12 7", "0/60 0/24 1/31 1/12 0/8"]
        for _ in 0..<2000 {
            expressions.append(
                [
                    field(0...59, steps: 1...60), field(0...23, steps: 1...24), field(1...28, steps: 1...31),
                    field(1...12, steps: 1...12), field(0...7, steps: 1...8),
                ].joined(separator: " "))
        }
        for expression in expressions {
            #expect(expression.wholeMatch(of: pattern) != nil, "\(expression)")
            #expect(throws: Never.self, "\(expression)") { _ = try CronSchedule(parsing: expression) }
        }
        for refused in ["60 * * * *", "* * 29 2 *", "5-1 * * * *", "*/61 * * * *", "07 * * * *", "@never", "* * * *"] {
            #expect(refused.wholeMatch(of: pattern) == nil, "\(refused)")
        }
    }

    @Test("every documented time zone is one the server accepts")
    func timeZonesAreAccepted() throws {
        guard case .object(let schema) = TimeZoneNames().schema, case .array(let names) = schema["enum"] else {
            Issue.record("the time zone component is not an enumeration")
            return
        }
        #expect(names.count > 300)
        for case .string(let name) in names { #expect(TimeZone.iana(name) != nil, "\(name)") }
    }
}
