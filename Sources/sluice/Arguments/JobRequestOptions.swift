import ArgumentParser
import Foundation
import SluiceCore
import SluiceEngine

/// The job type, brand and parameters of a job given on the command line, shared by `jobs enqueue` and `run`.
struct JobRequestOptions: ParsableArguments {
    @Argument(help: "The job type, such as competitor_scrape (see the dashboard or GET /api/v1/job-types).")
    var jobType: String

    @Option(help: "The brand, by id or name.")
    var brand: String

    @Option(
        name: .customLong("param"),
        help: ArgumentHelp(
            "A parameter as name=value, typed by the job type's schema; repeat for several.",
            valueName: "name=value"))
    var parameters: [String] = []

    @Option(help: "Parameters as one JSON object (merged under the --param values).")
    var paramsJSON: String?

    /// A request for `schedule`, its parameters read by the job type's schema (unknown names are passed on as
    /// text, for the schema's validation to name them).
    /// - Throws: ``SluiceError`` for an unknown job type or brand; ``ConfigurationError`` for a `--param` that is
    ///   not `name=value`, a value of the wrong type, or `--params-json` that is not a JSON object.
    func request(_ schedule: ScheduleRequest, client: SluiceClient) async throws -> JobRequest {
        let type = try client.registry.require(jobType)
        var values: JSONObject = [:]
        if let paramsJSON {
            guard case .object(let object) = try? JSONValue(parsing: paramsJSON) else {
                throw ConfigurationError("--params-json must be a JSON object, such as '{\"max_ads\": 100}'")
            }
            values = object
        }
        for parameter in parameters {
            guard let equals = parameter.firstIndex(of: "="), equals != parameter.startIndex else {
                throw ConfigurationError("--param \(parameter.prefix(60)): write it as name=value")
            }
            let name = String(parameter[..<equals])
            let text = String(parameter[parameter.index(after: equals)...])
            guard let field = type.schema.field(named: name) else {
                values[name] = .string(text)
                continue
            }
            switch field.value(fromText: text) {
            case .success(let value): values[name] = value
            case .failure(let error): throw ConfigurationError("--param \(name): \(error)")
            }
        }
        let brandID = try await BrandReference.resolve(brand, with: client).id
        return JobRequest(brandID: brandID, jobType: jobType, parameters: values, schedule: schedule)
    }
}
