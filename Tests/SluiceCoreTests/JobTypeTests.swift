import Foundation
import Testing

@testable import SluiceCore

@Suite("JobType, Identifier and JobTypeRegistry")
struct JobTypeTests {
    static let scrape = JobType(
        name: "competitor_scrape", label: "Competitor Scrape", emoji: "🔎", dataset: "competitor_ads",
        schema: ParameterSchema([
            ParameterField("competitor_id", .uuid, required: true),
            ParameterField("max_ads", .int, minimum: 1, maximum: 5000, default: .int(500)),
            ParameterField("mode", .oneOf(["full", "delta"]), default: .string("delta")),
        ]),
        uniquenessKey: ["competitor_id"], concurrencyLimit: 2)

    /// A job type that differs from a valid one in one respect, and the problem that must be reported.
    struct InvalidCase: Sendable, CustomTestStringConvertible {
        let summary: String
        let type: JobType
        let field: String
        let message: String

        var testDescription: String { summary }
    }

    private static func type(
        name: String = "report", label: String = "Report", queue: String = "default", timeout: Duration = .seconds(60),
        fields: [ParameterField] = [], retryPolicy: RetryPolicy = RetryPolicy(), uniquenessKey: [String] = [],
        concurrencyLimit: Int? = nil, priority: Int = 0
    ) -> JobType {
        JobType(
            name: name, label: label, schema: ParameterSchema(fields), queue: queue, priority: priority,
            timeout: timeout, retryPolicy: retryPolicy, uniquenessKey: uniquenessKey, concurrencyLimit: concurrencyLimit
        )
    }

    static let invalidCases: [InvalidCase] = [
        InvalidCase(summary: "empty name", type: type(name: ""), field: "name", message: Identifier.rule),
        InvalidCase(summary: "upper-case name", type: type(name: "Report"), field: "name", message: Identifier.rule),
        InvalidCase(
            summary: "name with digit first", type: type(name: "1report"), field: "name", message: Identifier.rule),
        InvalidCase(
            summary: "name with dash", type: type(name: "daily-report"), field: "name", message: Identifier.rule),
        InvalidCase(summary: "empty label", type: type(label: ""), field: "label", message: "must not be empty"),
        InvalidCase(summary: "bad queue", type: type(queue: "High Priority"), field: "queue", message: Identifier.rule),
        InvalidCase(summary: "zero timeout", type: type(timeout: .zero), field: "timeout", message: "must be positive"),
        InvalidCase(
            summary: "priority beyond a request's range", type: type(priority: 1001), field: "priority",
            message: "must be in -1000...1000, as a request's"),
        InvalidCase(
            summary: "negative timeout", type: type(timeout: .seconds(-1)), field: "timeout",
            message: "must be positive"),
        InvalidCase(
            summary: "concurrency limit 0", type: type(concurrencyLimit: 0), field: "concurrency_limit",
            message: "must be at least 1"),
        InvalidCase(
            summary: "negative concurrency limit", type: type(concurrencyLimit: -2), field: "concurrency_limit",
            message: "must be at least 1"),
        InvalidCase(
            summary: "uniqueness key names unknown parameter",
            type: type(fields: [ParameterField("known", .string)], uniquenessKey: ["nope"]), field: "uniqueness_key",
            message: "names unknown parameter nope"),
        InvalidCase(
            summary: "duplicate field",
            type: type(fields: [ParameterField("dup", .string), ParameterField("dup", .int)]), field: "schema.dup",
            message: "is declared twice"),
        InvalidCase(
            summary: "bad field name", type: type(fields: [ParameterField("MaxAds", .int)]), field: "schema.MaxAds",
            message: Identifier.rule),
        InvalidCase(
            summary: "default below minimum",
            type: type(fields: [ParameterField("n", .int, minimum: 1, default: .int(0))]), field: "schema.n",
            message: "default value must be at least 1"),
        InvalidCase(
            summary: "default of the wrong type",
            type: type(fields: [ParameterField("n", .int, default: .string("ten"))]), field: "schema.n",
            message: "default must be of type int, not string"),
        InvalidCase(
            summary: "default not among choices",
            type: type(fields: [ParameterField("mode", .oneOf(["a", "b"]), default: .string("c"))]),
            field: "schema.mode", message: "default must be one of a, b"),
        InvalidCase(
            summary: "minimum above maximum",
            type: type(fields: [ParameterField("n", .int, minimum: 10, maximum: 5)]), field: "schema.n",
            message: "minimum exceeds maximum"),
        InvalidCase(
            summary: "retry policy with zero attempts", type: type(retryPolicy: RetryPolicy(maxAttempts: 0)),
            field: "retry_policy.max_attempts", message: "must be at least 1"),
        InvalidCase(
            summary: "retry policy with multiplier below 1", type: type(retryPolicy: RetryPolicy(multiplier: 0.5)),
            field: "retry_policy.multiplier", message: "must be at least 1"),
    ]

    @Test("a well-formed job type validates, with the documented defaults")
    func validTypeAndDefaults() throws {
        try Self.scrape.validate()
        let minimal = JobType(name: "report", label: "Report")
        try minimal.validate()
        #expect(minimal.id == "report")
        #expect(minimal.emoji == "⚙️")
        #expect(minimal.dataset == nil)
        #expect(minimal.queue == "default")
        #expect(minimal.priority == 0)
        #expect(minimal.timeout == .seconds(900))
        #expect(minimal.retryPolicy == RetryPolicy())
        #expect(minimal.uniquenessKey.isEmpty)
        #expect(minimal.concurrencyLimit == nil)
        #expect(minimal.schema.fields.isEmpty)
    }

    @Test("concurrency limit 1 is the smallest allowed")
    func concurrencyLimitOne() throws {
        try Self.type(concurrencyLimit: 1).validate()
    }

    @Test("validate() reports the problem with its field", arguments: invalidCases)
    func invalidDefinition(testCase: InvalidCase) throws {
        let error = try #require(throws: SluiceError.self) { try testCase.type.validate() }
        #expect(error.code == .invalidArgument)
        #expect(error.problems == [FieldProblem(field: testCase.field, message: testCase.message)])
        #expect(error.field == testCase.field)
        #expect(error.message == "job type \(testCase.type.name) is invalid: \(testCase.field): \(testCase.message)")
    }

    @Test("validate() reports every problem at once; the error's field is the first")
    func everyProblemAtOnce() throws {
        let type = JobType(
            name: "Bad", label: "", schema: ParameterSchema([ParameterField("n", .int, minimum: 3, maximum: 1)]),
            queue: "", timeout: .zero, retryPolicy: RetryPolicy(maxAttempts: 0, jitter: 2), uniquenessKey: ["x"],
            concurrencyLimit: 0)
        let error = try #require(throws: SluiceError.self) { try type.validate() }
        #expect(error.code == .invalidArgument)
        #expect(
            error.problems.map(\.field) == [
                "name", "label", "queue", "timeout", "concurrency_limit", "retry_policy.max_attempts",
                "retry_policy.jitter", "schema.n", "uniqueness_key",
            ])
        #expect(error.field == "name")
    }

    @Test("a duplicated field is reported once per extra declaration")
    func duplicateFieldReportedPerRepeat() throws {
        let type = Self.type(fields: [
            ParameterField("a", .int), ParameterField("a", .int), ParameterField("b", .int), ParameterField("a", .int),
        ])
        let error = try #require(throws: SluiceError.self) { try type.validate() }
        let duplicate = FieldProblem(field: "schema.a", message: "is declared twice")
        #expect(error.problems == [duplicate, duplicate])
    }

    @Test("a null default violates its own field")
    func nullDefault() throws {
        let type = Self.type(fields: [ParameterField("n", .int, default: .null)])
        let error = try #require(throws: SluiceError.self) { try type.validate() }
        #expect(error.problems == [FieldProblem(field: "schema.n", message: "default must be of type int, not null")])
    }

    @Test("defaultParameters are the schema's defaults")
    func defaultParameters() {
        #expect(Self.scrape.defaultParameters == ["max_ads": .int(500), "mode": .string("delta")])
        #expect(JobType(name: "report", label: "Report").defaultParameters == [:])
    }

    // MARK: - Identifier

    @Test(
        "Identifier accepts lowercase identifiers of 1-64 characters",
        arguments: [
            "a", "z", "report", "competitor_scrape", "a1", "a_", "a__b", "x9_y8", String(repeating: "a", count: 64),
        ])
    func identifierValid(text: String) {
        #expect(Identifier.isValid(text))
    }

    @Test(
        "Identifier rejects empty, long, upper-case, leading digit/underscore and other characters",
        arguments: [
            "", "_a", "1a", "9", "A", "aB", "Report", "a-b", "a b", "a.b", " a", "a ", "é", "aé", "a\n",
            String(repeating: "a", count: 65), "ａ",
        ])
    func identifierInvalid(text: String) {
        #expect(!Identifier.isValid(text))
    }

    // MARK: - JobTypeRegistry

    @Test("the registry looks types up by name and lists them sorted")
    func registryLookup() throws {
        let registry = try JobTypeRegistry([
            JobType(name: "gamma", label: "Gamma"), Self.scrape, JobType(name: "alpha", label: "Alpha"),
        ])
        #expect(registry.all.map(\.name) == ["alpha", "competitor_scrape", "gamma"])
        #expect(registry["competitor_scrape"] == Self.scrape)
        #expect(registry["missing"] == nil)
        #expect(try registry.require("alpha").label == "Alpha")
        #expect(try JobTypeRegistry([]).all.isEmpty)
    }

    @Test("registering a name twice is rejected")
    func registryDuplicate() throws {
        let error = try #require(throws: SluiceError.self) {
            try JobTypeRegistry([JobType(name: "report", label: "One"), JobType(name: "report", label: "Two")])
        }
        #expect(error.code == .invalidArgument)
        #expect(error.field == "name")
        #expect(error.message == "job type report is registered twice")
    }

    @Test("the registry validates every type")
    func registryValidates() throws {
        let error = try #require(throws: SluiceError.self) {
            try JobTypeRegistry([Self.scrape, JobType(name: "report", label: "")])
        }
        #expect(error.code == .invalidArgument)
        #expect(error.field == "label")
    }

    @Test("require throws unknownJobType naming job_type, with the name shortened to 64 characters")
    func registryRequireUnknown() throws {
        let registry = try JobTypeRegistry([Self.scrape])
        let error = try #require(throws: SluiceError.self) { try registry.require("nope") }
        #expect(error.code == .unknownJobType)
        #expect(error.field == "job_type")
        #expect(error.message == "job type nope is not registered")

        let long = String(repeating: "x", count: 200)
        let longError = try #require(throws: SluiceError.self) { try registry.require(long) }
        #expect(longError.message == "job type \(String(repeating: "x", count: 64)) is not registered")
    }

    @Test("lookup is exact: no case folding or trimming")
    func registryExactLookup() throws {
        let registry = try JobTypeRegistry([Self.scrape])
        for name in ["Competitor_Scrape", " competitor_scrape", "competitor_scrape ", "competitor"] {
            #expect(registry[name] == nil)
            #expect(throws: SluiceError.self) { try registry.require(name) }
        }
    }
}
