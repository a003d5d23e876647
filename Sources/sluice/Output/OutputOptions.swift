import ArgumentParser
import SluiceCore

/// `--json`, shared by every command that reads: a table for people by default, the API's JSON for scripts.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON (the same representation as the HTTP API) instead of a table.")
    var json = false

    /// Prints `object` as JSON with `--json`, else `text`.
    func emit(_ object: @autoclosure () -> JSONObject, text: @autoclosure () -> String) {
        print(json ? JSONValue.object(object()).jsonText : text())
    }
}
