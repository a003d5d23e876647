import Foundation

/// Where one invocation's settings come from, in precedence: its flags, then the environment, then the config file
/// (`--config` or `SLUICE_CONFIG`), then each setting's default.
struct SettingSources {
    let environment: [String: String]
    let file: ConfigFile?

    /// Reads the config file named by `configPath`, else by `SLUICE_CONFIG`, if either is set.
    /// - Throws: ``ConfigurationError`` for a config file that cannot be used.
    init(configPath: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.environment = environment
        file = try (configPath ?? environment["SLUICE_CONFIG"]).map(ConfigFile.init(path:))
    }

    /// The value of `setting`: `flag` when given, else the environment's, the file's, the default.
    func value(_ setting: Setting, flag: String? = nil) -> String? {
        flag ?? environment[setting.environmentName] ?? file?.values[setting] ?? setting.defaultValue
    }

    /// The value of `setting` as a whole number within `range`.
    /// - Throws: ``ConfigurationError`` naming the setting and where its value came from.
    func number(_ setting: Setting, flag: Int? = nil, in range: ClosedRange<Int>) throws -> Int {
        if let flag {
            guard range.contains(flag) else {
                throw ConfigurationError(
                    "--\(setting.flagName) must be between \(range.lowerBound) and \(range.upperBound)")
            }
            return flag
        }
        let text = value(setting) ?? ""
        guard let number = Int(text), range.contains(number) else {
            throw ConfigurationError(
                "\(origin(of: setting)) must be a whole number between \(range.lowerBound) and \(range.upperBound), "
                    + "not \"\(text.prefix(20))\"")
        }
        return number
    }

    /// Names where `setting`'s value (when no flag gave it) comes from, for error messages.
    func origin(of setting: Setting) -> String {
        if environment[setting.environmentName] != nil { return setting.environmentName }
        if let file, file.values[setting] != nil { return "\(setting.rawValue) in \(file.path)" }
        return setting.rawValue
    }
}

extension Setting {
    /// The flag's name without dashes, such as `meta-base-url`.
    var flagName: String { rawValue.replacingOccurrences(of: "_", with: "-") }
}
