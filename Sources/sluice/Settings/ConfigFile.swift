import Foundation
import SluiceCore

/// The optional config file: one JSON object whose keys are ``Setting`` names, such as
/// `{"database": "postgres://sluice@db:5432/sluice", "port": 8081, "meta_access_token": "…"}`.
struct ConfigFile {
    /// The path it was read from, for messages.
    let path: String
    /// The values by setting, as text.
    let values: [Setting: String]

    /// Reads and checks the file at `path`.
    /// - Throws: ``ConfigurationError`` when it cannot be read, is not a JSON object, names an unknown setting or
    ///   gives one a value that is not a string, number or boolean.
    init(path: String) throws {
        self.path = path
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("config file \(path) cannot be read: \(error.localizedDescription)")
        }
        guard case .object(let object) = try? JSONValue(parsing: text) else {
            throw ConfigurationError("config file \(path) is not a JSON object")
        }
        var values: [Setting: String] = [:]
        for (key, value) in object {
            guard let setting = Setting(rawValue: key) else {
                let known = Setting.allCases.map(\.rawValue).joined(separator: ", ")
                throw ConfigurationError("config file \(path): unknown setting \"\(key.prefix(40))\" (known: \(known))")
            }
            switch value {
            case .string(let text): values[setting] = text
            case .int(let number): values[setting] = String(number)
            case .double(let number) where number.rounded() == number && abs(number) < 1e15:
                values[setting] = String(Int64(number))
            case .bool(let flag): values[setting] = String(flag)
            default:
                throw ConfigurationError("config file \(path): \(key) must be a string, a number or a boolean")
            }
        }
        self.values = values
    }
}
