import Foundation
import Testing

@testable import SluiceCore

@Suite("JSONValue and JSONCoding")
struct JSONValueTests {
    private static func decode(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    private static func roundTrip(_ value: JSONValue) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    static let everyCase: [JSONValue] = [
        .null,
        .bool(true),
        .bool(false),
        .int(0),
        .int(500),
        .int(-42),
        .int(.max),
        .int(.min),
        .double(5.5),
        .double(-0.25),
        .double(1e300),
        .string(""),
        .string("héllo \"quoted\" a/b \\ \n 🎉"),
        .array([]),
        .array([.int(1), .double(2.5), .string("x"), .null, .bool(false)]),
        .object([:]),
        .object(["max_ads": .int(500), "ratio": .double(0.75), "tags": .array([.string("a")])]),
    ]

    @Test("every case survives an encode/decode round trip unchanged", arguments: everyCase)
    func roundTripKeepsCase(_ value: JSONValue) throws {
        #expect(try Self.roundTrip(value) == value)
    }

    @Test(
        "numbers decode as int when whole and in range, otherwise as double",
        arguments: [
            ("500", JSONValue.int(500)),
            ("0", .int(0)),
            ("1", .int(1)),
            ("-7", .int(-7)),
            ("9223372036854775807", .int(.max)),
            ("5.5", .double(5.5)),
            ("0.1", .double(0.1)),
            ("-2.25", .double(-2.25)),
            ("9223372036854775808", .double(9_223_372_036_854_775_808)),
        ])
    func numbersKeepIntegerness(text: String, expected: JSONValue) throws {
        #expect(try Self.decode(text) == expected)
    }

    @Test(
        "scalars decode to the matching case (booleans are not numbers, numeric strings stay strings)",
        arguments: [
            ("true", JSONValue.bool(true)),
            ("false", .bool(false)),
            ("null", .null),
            ("\"500\"", .string("500")),
            ("\"true\"", .string("true")),
            ("\"\"", .string("")),
        ])
    func scalarsDecode(text: String, expected: JSONValue) throws {
        #expect(try Self.decode(text) == expected)
    }

    @Test("nested objects and arrays decode recursively")
    func nestedDecoding() throws {
        let text = #"{"a":[1,2.5,{"b":null}],"c":{"d":"x","e":false,"f":[]},"g":{}}"#
        let expected: JSONValue = .object([
            "a": .array([.int(1), .double(2.5), .object(["b": .null])]),
            "c": .object(["d": .string("x"), "e": .bool(false), "f": .array([])]),
            "g": .object([:]),
        ])
        let decoded = try Self.decode(text)
        #expect(decoded == expected)
        #expect(try Self.roundTrip(decoded) == expected)
    }

    @Test("a deeply nested value round-trips")
    func deepNesting() throws {
        var value: JSONValue = .int(1)
        for depth in 0..<40 {
            value = depth.isMultiple(of: 2) ? .array([value, .null]) : .object(["k\(depth)": value])
        }
        #expect(try Self.roundTrip(value) == value)
    }

    @Test("a whole double has no JSON spelling of its own: it re-decodes as an int")
    func wholeDoubleBecomesInt() throws {
        // JSON has one number type; the decoder tries Int64 before Double, so integrality wins over the Swift case.
        #expect(try Self.roundTrip(.double(5.0)) == .int(5))
        #expect(try Self.decode("5.0") == .int(5))
        #expect(try Self.roundTrip(.double(-0.0)) == .int(0))
    }

    @Test("ints are encoded without a fractional part")
    func intEncoding() {
        #expect(JSONCoding.encodeString(JSONValue.int(500)) == "500")
        #expect(JSONCoding.encodeString(JSONValue.array([.int(-1), .double(0.5)])) == "[-1,0.5]")
    }

    @Test(
        "canonicalText: strings as-is, other values as compact JSON",
        arguments: [
            (JSONValue.string("a b/c \"q\""), #"a b/c "q""#),
            (.string(""), ""),
            (.null, "null"),
            (.bool(true), "true"),
            (.bool(false), "false"),
            (.int(500), "500"),
            (.int(-3), "-3"),
            (.double(5.5), "5.5"),
            (.array([.int(1), .string("x"), .null]), #"[1,"x",null]"#),
            (.object(["b": .int(1), "a": .array([.bool(true)])]), #"{"a":[true],"b":1}"#),
        ])
    func canonicalText(value: JSONValue, expected: String) {
        #expect(value.canonicalText == expected)
    }

    @Test(
        "typeName names the JSON type",
        arguments: [
            (JSONValue.null, "null"),
            (.bool(true), "boolean"),
            (.int(1), "number"),
            (.double(1.5), "number"),
            (.string("s"), "string"),
            (.array([]), "array"),
            (.object([:]), "object"),
        ])
    func typeName(value: JSONValue, expected: String) {
        #expect(value.typeName == expected)
    }

    @Test("encodeString sorts keys at every level, is compact and does not escape slashes")
    func encodeStringSortsKeys() {
        let value: JSONValue = .object([
            "zeta": .int(1),
            "alpha": .object(["y": .string("a/b"), "b": .null]),
            "mid": .array([.object(["d": .int(4), "c": .int(3)])]),
        ])
        let expected = #"{"alpha":{"b":null,"y":"a/b"},"mid":[{"c":3,"d":4}],"zeta":1}"#
        #expect(JSONCoding.encodeString(value) == expected)
        // Key order in the input never changes the output.
        let reordered: JSONValue = .object([
            "mid": .array([.object(["c": .int(3), "d": .int(4)])]),
            "zeta": .int(1),
            "alpha": .object(["b": .null, "y": .string("a/b")]),
        ])
        #expect(JSONCoding.encodeString(reordered) == expected)
    }

    @Test("encodeString encodes plain Codable values")
    func encodeStringCodableStruct() {
        let problem = FieldProblem(field: "parameters.max_ads", message: "must be at most 5000")
        #expect(JSONCoding.encodeString(problem) == #"{"field":"parameters.max_ads","message":"must be at most 5000"}"#)
        #expect(JSONCoding.encodeString(["b", "a"]) == #"["b","a"]"#)
    }

    @Test("decodeObject decodes objects, keeping ints and doubles apart")
    func decodeObject() throws {
        #expect(try JSONCoding.decodeObject("{}") == [:])
        let object = try JSONCoding.decodeObject(#" {"max_ads": 500, "ratio": 0.5, "name": "x", "on": true} "#)
        #expect(object == ["max_ads": .int(500), "ratio": .double(0.5), "name": .string("x"), "on": .bool(true)])
    }

    @Test("decodeObject of encodeString is the identity for objects")
    func encodeDecodeObjectIdentity() throws {
        let object: JSONObject = [
            "a": .array([.int(1), .double(1.5)]),
            "b": .object(["c": .null, "d": .string("e/f")]),
            "g": .int(.min),
        ]
        #expect(try JSONCoding.decodeObject(JSONCoding.encodeString(object)) == object)
    }

    @Test(
        "decodeObject rejects anything but a JSON object with storageFailure",
        arguments: ["[1,2]", "[]", "\"text\"", "42", "4.5", "true", "null", "not json", "", "{\"a\":", "{'a':1}"])
    func decodeObjectRejectsNonObjects(text: String) throws {
        let error = try #require(throws: SluiceError.self) { try JSONCoding.decodeObject(text) }
        #expect(error.code == .storageFailure)
        #expect(error.field == nil)
        #expect(error.message == "stored JSON is not an object")
    }
}
