import Foundation
import Testing

@testable import SluiceCore

@Suite("ParameterSchema validation")
struct ParameterSchemaTests {
    /// The problems `parameters` has against `schema`; records an issue if validation passes.
    private static func problems(
        _ schema: ParameterSchema, _ parameters: JSONObject, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [FieldProblem] {
        let error = try #require(throws: SluiceError.self, sourceLocation: sourceLocation) {
            try schema.validate(parameters)
        }
        #expect(error.code == .invalidParameters, sourceLocation: sourceLocation)
        #expect(error.field == error.problems.first?.field, sourceLocation: sourceLocation)
        return error.problems
    }

    private static func single(
        _ name: String, _ kind: ParameterField.Kind, minimum: Int64? = nil,
        maximum: Int64? = nil
    ) -> ParameterSchema {
        ParameterSchema([ParameterField(name, kind, minimum: minimum, maximum: maximum)])
    }

    // MARK: - string

    @Test("strings within the length bounds are accepted", arguments: ["ab", "abc", "abcd", "éé", "👍🏽👍🏽"])
    func stringWithinBounds(text: String) throws {
        let schema = Self.single("title", .string, minimum: 2, maximum: 4)
        #expect(try schema.validate(["title": .string(text)]) == ["title": .string(text)])
    }

    @Test(
        "strings outside the length bounds are rejected, counting characters",
        arguments: [
            ("", "length must be at least 2"),
            ("a", "length must be at least 2"),
            ("abcde", "length must be at most 4"),
            ("👍🏽👍🏽👍🏽👍🏽👍🏽", "length must be at most 4"),
        ])
    func stringOutsideBounds(text: String, message: String) throws {
        let schema = Self.single("title", .string, minimum: 2, maximum: 4)
        let problems = try Self.problems(schema, ["title": .string(text)])
        #expect(problems == [FieldProblem(field: "parameters.title", message: message)])
    }

    @Test("an unbounded string accepts anything, including the empty string")
    func unboundedString() throws {
        let schema = Self.single("note", .string)
        #expect(try schema.validate(["note": .string("")]) == ["note": .string("")])
        let long = String(repeating: "x", count: 10_000)
        #expect(try schema.validate(["note": .string(long)]) == ["note": .string(long)])
    }

    // MARK: - int

    @Test(
        "ints within bounds are accepted; whole doubles are accepted and normalised to ints",
        arguments: [
            (JSONValue.int(1), Int64(1)),
            (.int(5000), 5000),
            (.int(42), 42),
            (.double(10.0), 10),
            (.double(1.0), 1),
            (.double(5000.0), 5000),
        ])
    func intWithinBounds(value: JSONValue, expected: Int64) throws {
        let schema = Self.single("max_ads", .int, minimum: 1, maximum: 5000)
        #expect(try schema.validate(["max_ads": value]) == ["max_ads": .int(expected)])
    }

    @Test(
        "ints out of bounds and non-whole or non-numeric values are rejected",
        arguments: [
            (JSONValue.int(0), "value must be at least 1"),
            (.int(-5), "value must be at least 1"),
            (.int(5001), "value must be at most 5000"),
            (.int(.max), "value must be at most 5000"),
            (.double(0.0), "value must be at least 1"),
            (.double(-3.0), "value must be at least 1"),
            (.double(6000.0), "value must be at most 5000"),
            (.double(2.5), "must be of type int, not number"),
            (.double(1e16), "must be of type int, not number"),
            (.string("5"), "must be of type int, not string"),
            (.bool(true), "must be of type int, not boolean"),
            (.array([.int(1)]), "must be of type int, not array"),
            (.object([:]), "must be of type int, not object"),
        ])
    func intRejected(value: JSONValue, message: String) throws {
        let schema = Self.single("max_ads", .int, minimum: 1, maximum: 5000)
        let problems = try Self.problems(schema, ["max_ads": value])
        #expect(problems == [FieldProblem(field: "parameters.max_ads", message: message)])
    }

    @Test("an unbounded int accepts the extremes and large whole doubles below 9e15")
    func unboundedInt() throws {
        let schema = Self.single("n", .int)
        #expect(try schema.validate(["n": .int(.min)]) == ["n": .int(.min)])
        #expect(try schema.validate(["n": .int(.max)]) == ["n": .int(.max)])
        #expect(try schema.validate(["n": .double(8e15)]) == ["n": .int(8_000_000_000_000_000)])
        #expect(try schema.validate(["n": .double(-8e15)]) == ["n": .int(-8_000_000_000_000_000)])
    }

    // MARK: - bool

    @Test("bools accept only true and false")
    func bools() throws {
        let schema = Self.single("dry_run", .bool)
        #expect(try schema.validate(["dry_run": .bool(true)]) == ["dry_run": .bool(true)])
        #expect(try schema.validate(["dry_run": .bool(false)]) == ["dry_run": .bool(false)])
        for (value, typeName) in [(JSONValue.int(1), "number"), (.string("true"), "string"), (.double(0), "number")] {
            let problems = try Self.problems(schema, ["dry_run": value])
            #expect(problems == [.init(field: "parameters.dry_run", message: "must be of type bool, not \(typeName)")])
        }
    }

    // MARK: - url

    @Test(
        "absolute http and https URLs with a host are accepted",
        arguments: [
            "http://example.com",
            "https://example.com",
            "https://example.com/path?q=1#frag",
            "HTTPS://EXAMPLE.COM/A",
            "http://localhost:8080",
            "https://203.0.113.7/x",
        ])
    func urlAccepted(text: String) throws {
        let schema = Self.single("landing_page", .url)
        #expect(try schema.validate(["landing_page": .string(text)]) == ["landing_page": .string(text)])
    }

    @Test(
        "other schemes, relative URLs and URLs without a host are rejected",
        arguments: [
            "ftp://example.com/file",
            "file:///etc/passwd",
            "mailto:someone@example.com",
            "/relative/path",
            "relative/path",
            "example.com",
            "//example.com/no-scheme",
            "http://",
            "https://",
            "http:///path-only",
            "http:example.com",
            "",
        ])
    func urlRejected(text: String) throws {
        let schema = Self.single("landing_page", .url)
        let problems = try Self.problems(schema, ["landing_page": .string(text)])
        #expect(problems == [.init(field: "parameters.landing_page", message: "must be an absolute http or https URL")])
    }

    @Test("a non-string URL is a type error")
    func urlTypeError() throws {
        let problems = try Self.problems(Self.single("u", .url), ["u": .int(1)])
        #expect(problems == [.init(field: "parameters.u", message: "must be of type url, not number")])
    }

    // MARK: - uuid

    @Test(
        "UUIDs in textual form are accepted in either case and stored lowercase",
        arguments: ["E621E1F8-C36C-495A-93FC-0C247A3E6E5F", "e621e1f8-c36c-495a-93fc-0c247a3e6e5f"])
    func uuidAccepted(text: String) throws {
        let schema = Self.single("competitor_id", .uuid)
        #expect(
            try schema.validate(["competitor_id": .string(text)])
                == ["competitor_id": .string("e621e1f8-c36c-495a-93fc-0c247a3e6e5f")])
    }

    @Test(
        "malformed UUIDs are rejected",
        arguments: [
            "",
            "not-a-uuid",
            "E621E1F8-C36C-495A-93FC-0C247A3E6E5",
            "E621E1F8-C36C-495A-93FC-0C247A3E6E5F0",
            "G621E1F8-C36C-495A-93FC-0C247A3E6E5F",
            "{E621E1F8-C36C-495A-93FC-0C247A3E6E5F}",
        ])
    func uuidRejected(text: String) throws {
        let problems = try Self.problems(Self.single("competitor_id", .uuid), ["competitor_id": .string(text)])
        #expect(problems == [.init(field: "parameters.competitor_id", message: "must be a UUID")])
    }

    @Test("a non-string UUID is a type error")
    func uuidTypeError() throws {
        let problems = try Self.problems(Self.single("id", .uuid), ["id": .array([])])
        #expect(problems == [.init(field: "parameters.id", message: "must be of type uuid, not array")])
    }

    // MARK: - oneOf

    @Test("oneOf accepts exactly its choices, case-sensitively")
    func oneOf() throws {
        let schema = Self.single("mode", .oneOf(["daily", "weekly"]))
        #expect(try schema.validate(["mode": .string("daily")]) == ["mode": .string("daily")])
        #expect(try schema.validate(["mode": .string("weekly")]) == ["mode": .string("weekly")])
        for text in ["Daily", "", "monthly", "daily "] {
            let problems = try Self.problems(schema, ["mode": .string(text)])
            #expect(problems == [.init(field: "parameters.mode", message: "must be one of daily, weekly")])
        }
        let problems = try Self.problems(schema, ["mode": .int(1)])
        #expect(problems == [.init(field: "parameters.mode", message: "must be of type enum, not number")])
    }

    @Test(
        "kind names as shown in messages",
        arguments: [
            (ParameterField.Kind.string, "string"),
            (.int, "int"),
            (.bool, "bool"),
            (.url, "url"),
            (.uuid, "uuid"),
            (.oneOf(["a"]), "enum"),
            (.oneOf([]), "enum"),
        ])
    func kindNames(kind: ParameterField.Kind, name: String) {
        #expect(kind.name == name)
    }

    // MARK: - required, defaults, null, unknown

    @Test("a missing required parameter is reported; a missing optional one is left out")
    func requiredAndOptional() throws {
        let schema = ParameterSchema([
            ParameterField("competitor_id", .uuid, required: true),
            ParameterField("note", .string),
        ])
        let problems = try Self.problems(schema, [:])
        #expect(problems == [.init(field: "parameters.competitor_id", message: "is required")])
        let id = "e621e1f8-c36c-495a-93fc-0c247a3e6e5f"
        #expect(try schema.validate(["competitor_id": .string(id)]) == ["competitor_id": .string(id)])
    }

    @Test("defaults fill missing parameters, given values override them")
    func defaultsApplied() throws {
        let schema = ParameterSchema([
            ParameterField("max_ads", .int, minimum: 1, maximum: 5000, default: .int(500)),
            ParameterField("mode", .oneOf(["daily", "weekly"]), default: .string("daily")),
            ParameterField("region", .string, required: true, default: .string("eu")),
        ])
        #expect(try schema.validate([:]) == ["max_ads": .int(500), "mode": .string("daily"), "region": .string("eu")])
        let given = try schema.validate(["max_ads": .int(7), "region": .string("us")])
        #expect(given == ["max_ads": .int(7), "mode": .string("daily"), "region": .string("us")])
    }

    @Test("a whole-double default for an int field is normalised to an int")
    func doubleDefaultNormalised() throws {
        let schema = ParameterSchema([ParameterField("max_ads", .int, default: .double(250.0))])
        #expect(try schema.validate([:]) == ["max_ads": .int(250)])
    }

    @Test("null counts as missing: a required parameter given as null is reported as required")
    func nullRequired() throws {
        let schema = ParameterSchema([ParameterField("competitor_id", .uuid, required: true)])
        let problems = try Self.problems(schema, ["competitor_id": .null])
        #expect(problems == [.init(field: "parameters.competitor_id", message: "is required")])
    }

    @Test("null counts as missing: an optional parameter without default given as null is left out")
    func nullOptional() throws {
        let schema = ParameterSchema([ParameterField("note", .string), ParameterField("n", .int, minimum: 1)])
        #expect(try schema.validate(["note": .null, "n": .null]) == [:])
    }

    @Test("null counts as missing: a parameter with a default given as null takes the default")
    func nullTakesDefault() throws {
        let schema = ParameterSchema([
            ParameterField("max_ads", .int, minimum: 1, default: .int(500)),
            ParameterField("region", .string, required: true, default: .string("eu")),
        ])
        let nullDefault = try schema.validate(["max_ads": .null])
        #expect(nullDefault == ["max_ads": .int(500), "region": .string("eu")])
        let nullRequiredDefault = try schema.validate(["region": .null])
        #expect(nullRequiredDefault == ["max_ads": .int(500), "region": .string("eu")])
    }

    @Test("unknown parameters are rejected, reported in name order")
    func unknownParameters() throws {
        let schema = ParameterSchema([ParameterField("note", .string)])
        let problems = try Self.problems(schema, ["zeta": .int(1), "alpha": .null, "note": .string("ok")])
        #expect(
            problems == [
                .init(field: "parameters.alpha", message: "is not a parameter of this job type"),
                .init(field: "parameters.zeta", message: "is not a parameter of this job type"),
            ])
        #expect(try Self.problems(ParameterSchema([]), ["x": .int(1)]).map(\.field) == ["parameters.x"])
    }

    @Test("an empty schema accepts no parameters")
    func emptySchema() throws {
        #expect(try ParameterSchema([]).validate([:]) == [:])
        #expect(ParameterSchema([]).defaults == [:])
    }

    @Test("every problem is reported at once; the error's field is the first problem's")
    func allProblemsAtOnce() throws {
        let schema = ParameterSchema([
            ParameterField("competitor_id", .uuid, required: true),
            ParameterField("max_ads", .int, minimum: 1, maximum: 5000, default: .int(500)),
            ParameterField("mode", .oneOf(["daily", "weekly"])),
            ParameterField("landing_page", .url),
            ParameterField("note", .string, maximum: 3),
        ])
        let parameters: JSONObject = [
            "extra": .int(1),
            "max_ads": .int(0),
            "mode": .string("hourly"),
            "landing_page": .string("ftp://x"),
            "note": .string("s3cr3t-value"),
        ]
        let error = try #require(throws: SluiceError.self) { try schema.validate(parameters) }
        #expect(error.code == .invalidParameters)
        #expect(
            error.problems == [
                .init(field: "parameters.extra", message: "is not a parameter of this job type"),
                .init(field: "parameters.competitor_id", message: "is required"),
                .init(field: "parameters.max_ads", message: "value must be at least 1"),
                .init(field: "parameters.mode", message: "must be one of daily, weekly"),
                .init(field: "parameters.landing_page", message: "must be an absolute http or https URL"),
                .init(field: "parameters.note", message: "length must be at most 3"),
            ])
        #expect(error.field == "parameters.extra")
        #expect(error.message == "6 parameter problems")
        // Messages name fields and constraints, never the offending values.
        let text = ([error.description] + error.problems.map(\.description)).joined(separator: "\n")
        #expect(!text.contains("s3cr3t"))
        #expect(!text.contains("hourly"))
        #expect(!text.contains("ftp"))
    }

    @Test("without unknown parameters the first problem is the first declared field's")
    func firstProblemFollowsDeclarationOrder() throws {
        let schema = ParameterSchema([
            ParameterField("b_field", .int, required: true),
            ParameterField("a_field", .int, required: true),
        ])
        let error = try #require(throws: SluiceError.self) { try schema.validate([:]) }
        #expect(error.field == "parameters.b_field")
        #expect(error.problems.map(\.field) == ["parameters.b_field", "parameters.a_field"])
    }

    @Test("a single problem's description is the error message")
    func singleProblemMessage() throws {
        let schema = ParameterSchema([ParameterField("n", .int, required: true)])
        let error = try #require(throws: SluiceError.self) { try schema.validate([:]) }
        #expect(error.message == "parameters.n: is required")
        #expect(error.description == "invalid_parameters (parameters.n): parameters.n: is required")
    }

    @Test("one value can violate both bounds, giving two problems for the same field")
    func twoProblemsOneField() throws {
        let schema = Self.single("n", .int, minimum: 10, maximum: 5)
        let problems = try Self.problems(schema, ["n": .int(7)])
        #expect(
            problems == [
                .init(field: "parameters.n", message: "value must be at least 10"),
                .init(field: "parameters.n", message: "value must be at most 5"),
            ])
    }

    @Test("defaults lists exactly the fields with a default; field(named:) finds fields")
    func defaultsAndLookup() {
        let schema = ParameterSchema([
            ParameterField("a", .int, default: .int(1)),
            ParameterField("b", .string),
            ParameterField("c", .bool, required: true, default: .bool(false)),
        ])
        #expect(schema.defaults == ["a": .int(1), "c": .bool(false)])
        #expect(schema.field(named: "b")?.kind == .string)
        #expect(schema.field(named: "c")?.required == true)
        #expect(schema.field(named: "missing") == nil)
        #expect(schema.fields.map(\.name) == ["a", "b", "c"])
    }
}
